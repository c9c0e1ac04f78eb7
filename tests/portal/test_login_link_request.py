"""Asking for a sign-in link: same answer for every address, mail only for customers."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from everydesk.customers.models import Customer
from everydesk.portal.models import LoginLink

URL = reverse("portal:login")


def ask(client, email, capture, **extra):
    with capture(execute=True):
        return client.post(URL, {"email": email, **extra})


def _page(response, email):
    """The page with the typed address and the per-response CSRF token blanked out."""
    text = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", text)


def test_login_page_asks_for_an_email_address(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b"No password needed" in response.content


def test_known_customer_gets_a_link_by_mail(client, customer, django_capture_on_commit_callbacks):
    response = ask(client, "Carol@Example.com ", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert b"If <strong>Carol@Example.com</strong> is an address we know" in response.content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carol@example.com"]
    assert "/portal/login/" in mail.outbox[0].body
    link = LoginLink.objects.get()
    assert link.customer == customer
    assert link.used_at is None


def test_raw_token_is_not_stored(client, customer, django_capture_on_commit_callbacks):
    ask(client, customer.email, django_capture_on_commit_callbacks)
    token = mail.outbox[0].body.split("/portal/login/")[1].split("/")[0]
    assert not LoginLink.objects.filter(digest=token).exists()
    assert len(LoginLink.objects.get().digest) == 64


def test_link_expires_after_the_configured_minutes(
    client, customer, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_LINK_MINUTES = 7
    ask(client, customer.email, django_capture_on_commit_callbacks)
    link = LoginLink.objects.get()
    assert (link.expires_at - link.created_at).total_seconds() == 7 * 60
    assert "within 7 minutes" in mail.outbox[0].body


def test_unknown_address_gets_the_same_page_and_nothing_is_sent_or_created(
    client, customer, django_capture_on_commit_callbacks
):
    known = ask(client, customer.email, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    unknown = ask(client, "nobody@example.com", django_capture_on_commit_callbacks)
    assert unknown.status_code == known.status_code == 200
    assert _page(unknown, "nobody@example.com") == _page(known, customer.email)
    assert mail.outbox == []
    assert not Customer.objects.filter(email="nobody@example.com").exists()
    assert LoginLink.objects.count() == 1


def test_staff_address_gets_no_link(client, agent, admin, django_capture_on_commit_callbacks):
    for user in (agent, admin):
        response = ask(client, user.email, django_capture_on_commit_callbacks)
        assert b"is an address we know" in response.content
    assert mail.outbox == []
    assert not LoginLink.objects.exists()


def test_customer_profile_sharing_a_staff_address_gets_no_link(
    client, agent, django_capture_on_commit_callbacks
):
    Customer.objects.create(email=agent.email, name="Alice at home")
    ask(client, agent.email, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not LoginLink.objects.exists()


def test_customer_who_never_wrote_may_still_get_a_link(
    client, db, django_capture_on_commit_callbacks
):
    Customer.objects.create(email="new@example.com", name="Nina New")
    ask(client, "new@example.com", django_capture_on_commit_callbacks)
    assert mail.outbox[0].to == ["new@example.com"]


def test_invalid_address_is_explained(client, db):
    response = client.post(URL, {"email": "not an address"})
    assert response.status_code == 200
    assert b"Enter a valid email address." in response.content
    assert not LoginLink.objects.exists()


def test_safe_next_page_travels_in_the_link(client, customer, django_capture_on_commit_callbacks):
    ask(client, customer.email, django_capture_on_commit_callbacks, next="/portal/c/5/")
    assert "?next=%2Fportal%2Fc%2F5%2F" in mail.outbox[0].body


def test_foreign_next_page_is_dropped(client, customer, django_capture_on_commit_callbacks):
    ask(client, customer.email, django_capture_on_commit_callbacks, next="https://evil.test/")
    assert "next=" not in mail.outbox[0].body
    assert "evil" not in mail.outbox[0].body


def test_requests_per_address_are_rate_limited(
    client, customer, settings, django_capture_on_commit_callbacks
):
    settings.LOGIN_LINK_RATE = "2/h"
    for _ in range(2):
        assert ask(client, customer.email, django_capture_on_commit_callbacks).status_code == 200
    # The same address, however written and from another IP, is still limited.
    response = client.post(URL, {"email": "CAROL@example.com"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert b"Please wait a moment" in response.content
    assert len(mail.outbox) == 2


def test_requests_per_ip_are_rate_limited(client, customer, settings):
    settings.LOGIN_LINK_RATE = "2/h"
    client.post(URL, {"email": "a@example.com"})
    client.post(URL, {"email": "b@example.com"})
    assert client.post(URL, {"email": "c@example.com"}).status_code == 429
    assert client.post(URL, {"email": "d@example.com"}, REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize("who", ["customer", "agent"])
def test_signed_in_people_are_sent_home(client, who, request):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert client.get(URL).url == reverse("home")
