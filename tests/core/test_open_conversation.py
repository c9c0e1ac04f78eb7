import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from everydesk.conversations import actions
from everydesk.conversations.models import Attachment, Conversation, EventType, Message, Status
from everydesk.lib.errors import ActionError


def test_opening_stores_subject_message_and_an_opened_event(customer):
    conversation = actions.open_conversation(
        customer=customer,
        subject="Where is my order?",
        body="Order 1234 has not arrived.",
        kind="question",
        channel="portal",
    )
    assert conversation.status == Status.NEW
    assert conversation.is_open is True or Conversation.objects.get(pk=conversation.pk).is_open
    message = conversation.messages.get()
    assert message.author_customer == customer
    assert message.body_text == "Order 1234 has not arrived."
    assert list(conversation.events.values_list("type", flat=True)) == [EventType.OPENED]


def test_missing_subject_is_taken_from_the_first_line(customer):
    conversation = actions.open_conversation(
        customer=customer, subject="  ", body="Broken hinge\nmore"
    )
    assert conversation.subject == "Broken hinge"


def test_empty_body_is_refused_and_nothing_is_stored(customer):
    with pytest.raises(ActionError, match="empty"):
        actions.open_conversation(customer=customer, subject="Hi", body="   ")
    assert Conversation.objects.count() == 0


def test_unknown_kind_is_refused(customer):
    with pytest.raises(ActionError, match="Unknown kind"):
        actions.open_conversation(customer=customer, subject="Hi", body="x", kind="rant")


def test_customer_html_is_sanitised_before_it_is_stored(customer):
    conversation = actions.open_conversation(
        customer=customer,
        subject="Hi",
        body="hello",
        html='<p onclick="steal()">hello<script>alert(1)</script><a href="javascript:x">l</a></p>',
    )
    html = conversation.messages.get().body_html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "<p>hello" in html


def test_attachments_are_stored_under_a_name_the_customer_does_not_choose(customer):
    upload = SimpleUploadedFile("holiday snap.png", b"photo bytes", content_type="image/png")
    conversation = actions.open_conversation(
        customer=customer, subject="Photo", body="see", files=[upload]
    )
    attachment = Attachment.objects.get(message__conversation=conversation)
    assert attachment.filename == "holiday snap.png"
    assert "snap" not in attachment.file.name and attachment.file.read() == b"photo bytes"
    assert attachment.size == len(b"photo bytes")


def test_an_attachment_over_the_limit_is_refused_and_nothing_is_stored(customer, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    upload = SimpleUploadedFile("big.bin", b"x" * 11)
    with pytest.raises(ActionError, match="larger than"):
        actions.open_conversation(customer=customer, subject="Big", body="see", files=[upload])
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0
