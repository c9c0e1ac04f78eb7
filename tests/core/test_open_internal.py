"""open_internal: staff open a conversation about a customer without writing to them."""

import pytest
from django.core import mail

from everydesk.conversations import access, actions
from everydesk.conversations.models import Kind, MessageKind, Priority, Status
from everydesk.lib.errors import ActionError


def test_it_opens_in_the_owners_inbox_with_a_note_only(customer, agent, billing):
    conversation = actions.open_internal(
        customer=customer,
        subject="Call Carol back",
        note="She rated us 1/5.",
        assignee=agent,
        team=billing,
    )
    assert (conversation.status, conversation.assignee, conversation.team) == (
        Status.OPEN,
        agent,
        billing,
    )
    assert (conversation.kind, conversation.priority) == (Kind.COMPLAINT, Priority.HIGH)
    [note] = conversation.messages.all()
    assert note.kind == MessageKind.NOTE and note.body_text == "She rated us 1/5."
    assert not mail.outbox


def test_the_customer_never_sees_the_note(customer, agent):
    conversation = actions.open_internal(customer=customer, subject="Call back", note="Private")
    assert not access.visible_messages(customer.user, conversation).exists()


def test_only_staff_can_own_it(customer, other_customer):
    with pytest.raises(ActionError):
        actions.open_internal(
            customer=customer, subject="x", note="y", assignee=other_customer.user
        )


def test_an_empty_note_is_refused(customer):
    with pytest.raises(ActionError, match="empty"):
        actions.open_internal(customer=customer, subject="Call back", note="  ")
