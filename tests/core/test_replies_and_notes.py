import pytest
from django.core import mail

from everydesk.conversations import actions
from everydesk.conversations.models import EventType, MessageKind, Status
from everydesk.lib.errors import ActionError


def test_first_reply_opens_a_new_conversation_and_records_first_response(conversation, agent):
    actions.add_reply(conversation=conversation, author=agent, body="We are on it.")
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert conversation.first_response_at is not None


def test_reply_is_mailed_to_the_customer_only_after_commit(
    conversation, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(conversation=conversation, author=agent, body="A new lamp is coming.")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["carol@example.com"]
    assert "A new lamp is coming." in sent.body
    assert f"/portal/c/{conversation.pk}/" in sent.body


def test_reply_can_set_status_and_audit_trail_records_both(conversation, agent):
    actions.add_reply(conversation=conversation, author=agent, body="Done.", status=Status.SOLVED)
    conversation.refresh_from_db()
    assert conversation.status == Status.SOLVED and conversation.solved_at
    types = list(conversation.events.values_list("type", flat=True))
    assert EventType.REPLIED in types and EventType.STATUS_CHANGED in types


def test_note_is_internal_and_mails_nobody(conversation, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = actions.add_note(conversation=conversation, author=agent, body="Call the courier.")
    assert note.kind == MessageKind.NOTE and not note.is_public
    assert mail.outbox == []


def test_customer_message_reopens_a_solved_conversation(conversation, agent, customer):
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    actions.add_customer_message(conversation=conversation, customer=customer, body="Still broken")
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert conversation.solved_at is None


def test_customer_cannot_write_to_a_closed_conversation(conversation, agent, customer):
    actions.change_status(conversation=conversation, actor=agent, status=Status.CLOSED)
    with pytest.raises(ActionError, match="closed"):
        actions.add_customer_message(conversation=conversation, customer=customer, body="Hello?")
    assert conversation.messages.count() == 1
