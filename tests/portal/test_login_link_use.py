"""Using a sign-in link: a button on GET, a single-use claim on POST."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.customers.models import Customer
from everydesk.portal import actions, links
from everydesk.portal.models import LoginLink


def link_path(customer, next_url=""):
    raw = links.issue(customer)
    return reverse("portal:link", args=[raw]) + (f"?next={next_url}" if next_url else ""), raw


def signed_in_user(client):
    return client.get(reverse("portal:home")).wsgi_request.user


def test_opening_the_link_shows_a_button_and_does_not_spend_it(client, customer):
    path, _ = link_path(customer)
    for _ in range(2):  # a mail scanner, then the person
        response = client.get(path)
        assert response.status_code == 200
        assert b"<button" in response.content and b"Sign in" in response.content
    assert LoginLink.objects.get().used_at is None
    assert not signed_in_user(client).is_authenticated


def test_pressing_sign_in_logs_the_customer_in(client, customer):
    path, _ = link_path(customer)
    response = client.post(path)
    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert signed_in_user(client) == customer.user
    assert LoginLink.objects.get().used_at is not None


def test_link_works_only_once(client, customer):
    path, _ = link_path(customer)
    client.post(path)
    client.logout()
    response = client.post(path)
    assert response.status_code == 410
    assert b"This link no longer works" in response.content
    assert b"Email me a new link" in response.content
    assert not signed_in_user(client).is_authenticated


def test_used_link_shows_the_no_longer_works_page_on_get(client, customer):
    path, _ = link_path(customer)
    client.post(path)
    assert client.get(path).status_code == 410


def test_expired_link_is_refused(client, customer):
    path, _ = link_path(customer)
    LoginLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    assert not signed_in_user(client).is_authenticated
    assert LoginLink.objects.get().used_at is None


def test_unknown_link_is_refused(client, customer):
    response = client.post(reverse("portal:link", args=["made-up-token"]))
    assert response.status_code == 410
    assert not signed_in_user(client).is_authenticated


def test_claim_succeeds_only_once(customer):
    raw = links.issue(customer)
    assert links.claim(raw) is not None
    assert links.claim(raw) is None


def test_claim_is_a_single_conditional_update(customer, django_assert_num_queries):
    """The claim itself must be one UPDATE ... WHERE used_at IS NULL, not read-then-write,
    so two simultaneous requests cannot both win."""
    raw = links.issue(customer)
    LoginLink.objects.update(used_at=timezone.now())
    with django_assert_num_queries(1) as queries:
        assert links.claim(raw) is None
    sql = queries.captured_queries[0]["sql"]
    assert sql.startswith("UPDATE") and '"used_at" IS NULL' in sql


def test_first_sign_in_creates_the_portal_user(client, db):
    nina = Customer.objects.create(email="nina@example.com", name="Nina New")
    path, _ = link_path(nina)
    client.post(path)
    nina.refresh_from_db()
    user = nina.user
    assert user is not None
    assert (user.email, user.role, user.has_usable_password()) == (
        "nina@example.com",
        Role.CUSTOMER,
        False,
    )
    assert signed_in_user(client) == user


def test_second_sign_in_reuses_the_portal_user(client, customer):
    for _ in range(2):
        client.post(link_path(customer)[0])
        client.logout()
    assert User.objects.filter(email=customer.email).count() == 1


def test_link_never_signs_in_a_staff_account(client, agent):
    """Even a link issued for a profile that shares a staff address is refused."""
    shared = Customer.objects.create(email=agent.email)
    path, _ = link_path(shared)
    assert client.get(path).status_code == 200  # the link itself is fine...
    assert client.post(path).status_code == 410  # ...but it may not open a staff account
    assert not signed_in_user(client).is_authenticated
    shared.refresh_from_db()
    assert shared.user is None


def test_deactivated_customer_cannot_sign_in(client, customer):
    User.objects.filter(pk=customer.user_id).update(is_active=False)
    path, _ = link_path(customer)
    assert client.post(path).status_code == 410


def test_next_page_is_followed_after_sign_in(client, customer):
    path, _ = link_path(customer, "/portal/new/")
    assert client.post(path).url == "/portal/new/"


def test_a_new_link_asked_from_a_dead_one_keeps_the_next_page(client, customer):
    path, _ = link_path(customer, "/portal/new/")
    client.post(path)
    client.logout()
    assert b'name="next" value="/portal/new/"' in client.post(path).content


def test_foreign_next_page_is_ignored(client, customer):
    path, _ = link_path(customer, "https://evil.test/")
    assert client.post(path).url == reverse("portal:home")


def test_link_url_is_absolute(customer, settings):
    settings.BASE_URL = "https://help.example.com"
    assert actions.link_url("abc").startswith("https://help.example.com/portal/login/abc/")


@pytest.mark.django_db(transaction=True)
# SQLite's in-memory test database answers a second writer "table is locked" at once
# instead of waiting, so the race is proven where writers truly run side by side; on
# SQLite its single writer serialises the claim's one conditional UPDATE anyway.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_two_simultaneous_claims_cannot_both_win():
    nina = Customer.objects.create(email="nina@example.com")
    raw = links.issue(nina)
    start = threading.Barrier(2)
    results = []

    def claim():
        start.wait()
        try:
            results.append(links.claim(raw) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
