"""What an agent sees of email on the conversation page."""

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.mail import inbound
from tests.mail.messages import email_bytes, message_id_of

pytestmark = pytest.mark.django_db


def _page(client, user, conversation) -> str:
    client.force_login(user)
    response = client.get(reverse("desk:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_email_message_links_to_its_original(client, agent, mailbox):
    stored = inbound.receive(email_bytes(), source="pipe").inbound

    page = _page(client, agent, stored.conversation)

    assert reverse("original_email", args=[stored.pk]) in page
    assert "via email" in page


def test_follow_up_and_auto_reply_read_as_sentences(client, agent, mailbox):
    first_raw = email_bytes(subject="Broken zipper")
    first = inbound.receive(first_raw, source="pipe").inbound
    inbound.receive(
        email_bytes(
            subject="Automatic reply: Broken zipper",
            in_reply_to=message_id_of(first_raw),
            headers={"Auto-Submitted": "auto-replied"},
        ),
        source="pipe",
    )
    actions.change_status(conversation=first.conversation, actor=agent, status=Status.CLOSED)
    later = inbound.receive(
        email_bytes(subject="Re: Broken zipper", in_reply_to=message_id_of(first_raw)),
        source="pipe",
    ).inbound

    old_page = _page(client, agent, first.conversation)
    assert "An automatic reply arrived" in old_page
    assert "continues in" in old_page
    assert reverse("desk:conversation", args=[later.conversation.pk]) in old_page

    new_page = _page(client, agent, later.conversation)
    assert "this one continues" in new_page
    assert reverse("desk:conversation", args=[first.conversation.pk]) in new_page


def test_a_bouncing_address_is_flagged_in_the_sidebar(client, agent, conversation):
    from django.utils import timezone

    customer = conversation.customer
    customer.email_bouncing_since = timezone.now()
    customer.email_bounce_reason = "5.1.1 User unknown"
    customer.save()

    page = _page(client, agent, conversation)

    assert "Mail to this address bounced" in page
    assert "5.1.1 User unknown" in page
