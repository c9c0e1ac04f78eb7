"""One way in: a bearer token of an active user. Everything else gets 401."""

import datetime as dt

from django.utils import timezone

from everydesk.accounts.models import ApiToken
from tests.api.conftest import BASE, error_of


def test_request_without_a_token_is_refused(api, conversation):
    response = api.get("/conversations", None)
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_refused(client, agent):
    response = client.get(BASE + "/me", headers={"Authorization": "Bearer ed_not-a-real-token"})
    assert response.status_code == 401


def test_other_schemes_are_refused(api, client, agent):
    raw = api.token(agent)
    response = client.get(BASE + "/me", headers={"Authorization": f"Basic {raw}"})
    assert response.status_code == 401


def test_revoked_token_is_refused(api, agent):
    raw = api.token(agent)
    ApiToken.objects.matching(raw).update(revoked_at=timezone.now())
    assert api.get("/me", agent).status_code == 401


def test_token_of_a_deactivated_user_is_refused(api, agent):
    api.token(agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert api.get("/me", agent).status_code == 401


def test_a_signed_in_browser_session_is_not_a_credential(client, agent):
    client.force_login(agent)
    assert client.get(BASE + "/me").status_code == 401


def test_valid_token_is_accepted_and_its_use_recorded(api, agent):
    raw = api.token(agent)
    assert api.get("/me", agent).status_code == 200
    assert ApiToken.objects.matching(raw).get().last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(api, agent, django_assert_num_queries):
    raw = api.token(agent)
    api.get("/me", agent)
    first = ApiToken.objects.matching(raw).get().last_used_at
    with django_assert_num_queries(1):  # the token lookup only, no write
        api.get("/me", agent)
    assert ApiToken.objects.matching(raw).get().last_used_at == first


def test_last_use_is_refreshed_after_a_minute(api, agent):
    raw = api.token(agent)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.matching(raw).update(last_used_at=long_ago)
    api.get("/me", agent)
    assert ApiToken.objects.matching(raw).get().last_used_at > long_ago
