"""End to end: our reply leaves through real SMTP, the customer answers it, and the
answer comes in through ingestion into the same conversation."""

from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Channel, MessageKind
from everydesk.mail import inbound
from everydesk.mail.models import Delivery, InboundEmail, Outcome
from tests.mail import smtp_sink
from tests.mail.messages import email_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings) -> Iterator[smtp_sink.SmtpSink]:
    with smtp_sink.running(settings) as server:
        yield server


def answer_to(ours: EmailMessage, body: str, *, threaded: bool = True) -> bytes:
    """What Carol's mail program sends when she presses Reply on our mail."""
    answer = EmailMessage()
    answer["From"] = "Carol Jones <carol@example.com>"
    answer["To"] = ours["Reply-To"]
    answer["Message-ID"] = "<carol-answer-1@mail.example.com>"
    # A mail program that drops the threading headers; she retyped the subject, too.
    answer["Subject"] = f"Re: {ours['Subject']}" if threaded else "Model number"
    if threaded:
        answer["In-Reply-To"] = ours["Message-ID"]
        answer["References"] = f"{ours['References'] or ''} {ours['Message-ID']}".strip()
    answer.set_content(body)
    return answer.as_bytes()


def test_the_customers_answer_to_our_reply_joins_the_conversation(
    sink, mailbox, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opened = inbound.receive(email_bytes(subject="Lamp broken"), source="pipe").inbound
    conversation = opened.conversation
    assert conversation is not None
    [acknowledgement] = sink.received
    assert acknowledgement.message["In-Reply-To"] == f"<{opened.header_id}>"
    assert acknowledgement.message["Auto-Submitted"] == "auto-replied"
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(conversation=conversation, author=agent, body="Which model is it?")
    ours = sink.received[-1].message
    assert ours["In-Reply-To"] == f"<{opened.header_id}>"

    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound.receive(answer_to(ours, "It is the Arco floor lamp."), source="pipe")

    assert stored.inbound.outcome == Outcome.ADDED_MESSAGE
    assert stored.inbound.conversation == conversation
    latest = conversation.messages.order_by("-created_at", "-id").first()
    assert latest.kind == MessageKind.CUSTOMER and latest.channel == Channel.EMAIL
    assert "Arco floor lamp" in latest.body_text
    # Our next reply answers her answer.
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(conversation=conversation, author=agent, body="Thanks, sending one.")
    assert sink.received[-1].message["In-Reply-To"] == "<carol-answer-1@mail.example.com>"


def test_an_answer_without_threading_headers_finds_its_way_by_the_reply_to_address(
    sink, mailbox, agent, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(conversation=conversation, author=agent, body="Which model is it?")
    ours = sink.received[-1].message

    raw = answer_to(ours, "The Arco one.", threaded=False)
    stored = inbound.receive(raw, source="pipe").inbound

    assert stored.conversation == conversation
    assert conversation.messages.filter(body_text__contains="The Arco one.").exists()
    assert InboundEmail.objects.filter(conversation=conversation).count() == 1
    assert Delivery.objects.filter(conversation=conversation, template="reply").count() == 1
