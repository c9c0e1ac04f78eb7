"""Admins see the quarantine, download the original, retry or discard; staff download
originals only of conversations they can see."""

import pytest
from django.urls import reverse

from everydesk.mail import inbound
from everydesk.mail.models import InboundEmail, InboundState
from tests.mail.messages import email_bytes

pytestmark = pytest.mark.django_db

ADMIN_LIST = "/admin/mail/inboundemail/"


def _stored(raw: bytes) -> InboundEmail:
    return inbound.receive(raw, source="pipe").inbound


@pytest.fixture
def quarantined(mailbox, settings) -> InboundEmail:
    settings.EMAIL_MAX_BYTES = 200  # too large: kept, not parsed
    stored = _stored(email_bytes(body="A long story " * 50))
    settings.EMAIL_MAX_BYTES = 40 * 1024 * 1024
    assert stored.state == InboundState.QUARANTINED
    return stored


def test_the_list_opens_on_the_quarantine_with_reasons(client, admin, quarantined, mailbox):
    _stored(email_bytes(sender="fine@example.com", subject="All good"))
    client.force_login(admin)

    response = client.get(ADMIN_LIST, follow=True)

    assert response.redirect_chain[-1][0].endswith("?state__exact=quarantined")
    page = response.content.decode()
    assert "My order never arrived" in page
    assert "larger than" in page
    assert "All good" not in page


def test_admin_downloads_the_original_bytes(client, admin, quarantined):
    client.force_login(admin)
    response = client.get(reverse("original_email", args=[quarantined.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == bytes(quarantined.raw)


def test_retry_and_discard_from_the_admin(client, admin, quarantined, mailbox):
    second = _stored(b"\x00\x01 not an email")
    client.force_login(admin)

    client.post(
        ADMIN_LIST + "?state__exact=quarantined",
        {"action": "retry_selected", "_selected_action": [quarantined.pk]},
    )
    client.post(
        ADMIN_LIST + "?state__exact=quarantined",
        {"action": "discard_selected", "_selected_action": [second.pk]},
    )

    quarantined.refresh_from_db()
    second.refresh_from_db()
    assert quarantined.state == InboundState.DONE  # the limit is back to normal now
    assert quarantined.conversation is not None
    assert second.state == InboundState.DISCARDED


def test_agents_are_not_let_into_the_admin(client, agent, quarantined):
    client.force_login(agent)
    assert client.get(ADMIN_LIST).status_code == 302  # to the admin login


def test_staff_download_originals_of_conversations_they_see(
    client, agent, employee, customer, mailbox
):
    stored = _stored(email_bytes())
    url = reverse("original_email", args=[stored.pk])

    client.force_login(agent)
    assert client.get(url).content == bytes(stored.raw)

    client.force_login(employee)  # Billing team: the mailbox feeds Billing
    assert client.get(url).status_code == 200

    client.force_login(customer.user)
    assert client.get(url).status_code == 404


def test_quarantine_is_admins_only_for_other_staff(client, agent, quarantined):
    client.force_login(agent)
    assert client.get(reverse("original_email", args=[quarantined.pk])).status_code == 404


def test_employees_outside_the_team_get_nothing(client, employee, mailbox):
    mailbox.team = None
    mailbox.save()
    stored = _stored(email_bytes())
    client.force_login(employee)
    assert client.get(reverse("original_email", args=[stored.pk])).status_code == 404
