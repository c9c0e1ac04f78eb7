"""Everyone signed in can manage their own API tokens, and only their own."""

import pytest
from django.urls import reverse

from everydesk.accounts.models import ApiToken
from everydesk.accounts.views import MAX_ACTIVE_TOKENS

URL = reverse("accounts:tokens")


def revoke_url(token):
    return reverse("accounts:revoke_token", args=[token.pk])


@pytest.mark.parametrize("who", ["admin", "agent", "employee", "customer"])
def test_anyone_signed_in_can_create_a_token_and_sees_it_once(client, who, request):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    client.force_login(user)
    response = client.post(URL, {"name": "Nightly export"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    raw = response.context["raw"]
    assert raw.startswith(token.hint)
    assert raw.encode() in response.content
    assert b"only time it is shown" in response.content
    assert ApiToken.objects.matching(raw).get() == token
    assert "no-cache" in response.headers["Cache-Control"]
    again = client.get(URL)
    assert raw.encode() not in again.content
    assert b"Nightly export" in again.content


def test_list_shows_only_my_tokens(client, customer, agent):
    ApiToken.issue(user=agent, name="Agent's script")
    ApiToken.issue(user=customer.user, name="Carol's script")
    client.force_login(customer.user)
    response = client.get(URL)
    assert list(response.context["tokens"].values_list("name", flat=True)) == ["Carol's script"]
    assert b"Agent&#x27;s script" not in response.content


def test_name_is_required(client, agent):
    client.force_login(agent)
    response = client.post(URL, {"name": "  "})
    assert b"Give the token a name" in response.content
    assert not ApiToken.objects.exists()


def test_active_tokens_are_capped(client, agent):
    for n in range(MAX_ACTIVE_TOKENS):
        ApiToken.issue(user=agent, name=f"t{n}")
    client.force_login(agent)
    response = client.post(URL, {"name": "one more"})
    assert b"Revoke one you no longer use first." in response.content
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_revoking_my_token_stops_it_matching(client, customer):
    token, raw = ApiToken.issue(user=customer.user, name="script")
    client.force_login(customer.user)
    response = client.post(revoke_url(token))
    assert response.url == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not ApiToken.objects.matching(raw).exists()
    assert b"revoked" in client.get(URL).content


def test_customer_cannot_revoke_another_users_token(client, customer, other_customer, agent):
    others = [
        ApiToken.issue(user=other_customer.user, name="Oscar's")[0],
        ApiToken.issue(user=agent, name="Alice's")[0],
    ]
    client.force_login(customer.user)
    for token in others:
        assert client.post(revoke_url(token)).status_code == 404
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_revoking_twice_is_not_found(client, agent):
    token, _ = ApiToken.issue(user=agent, name="script")
    client.force_login(agent)
    client.post(revoke_url(token))
    assert client.post(revoke_url(token)).status_code == 404


def test_revoke_needs_a_post(client, agent):
    token, _ = ApiToken.issue(user=agent, name="script")
    client.force_login(agent)
    assert client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_asked_to_sign_in(client, db):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    assert client.post(URL, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
