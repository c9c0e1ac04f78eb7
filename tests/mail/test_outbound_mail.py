"""What our mail looks like to the customer's mail program, read off a real SMTP server."""

import re
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation
from everydesk.mail import outbox, tokens
from everydesk.mail.models import Delivery, DeliveryState, Mailbox
from tests.mail import smtp_sink
from tests.mail.outbound import customer_email

pytestmark = pytest.mark.django_db

# Bytes that are not UTF-8, and text whose line endings must survive as they are.
PICTURE = bytes(range(256)) * 4
NOTES = b"line one\nline two\r\nno newline at the end"


@pytest.fixture
def sink(settings) -> Iterator[smtp_sink.SmtpSink]:
    settings.SITE_NAME = "Acme Help"
    with smtp_sink.running(settings) as server:
        yield server


def reply(conversation, agent, capture, body="A new lamp is on its way.", **kw) -> Delivery:
    with capture(execute=True):
        message = actions.add_reply(conversation=conversation, author=agent, body=body, **kw)
    return Delivery.objects.get(message=message)


def test_a_reply_carries_what_threads_it_and_brings_the_answer_back(
    sink, mailbox, agent, conversation, django_capture_on_commit_callbacks
):
    customer_email(conversation, "first@mail.example.com", mailbox=mailbox, minutes_ago=30)
    customer_email(conversation, "second@mail.example.com", mailbox=mailbox, minutes_ago=10)

    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    [received] = sink.received
    assert received.rcpt_tos == ["carol@example.com"]
    assert received.mail_from == "support@acme.test"
    mail = received.message
    assert mail["Message-ID"] == f"<{delivery.header_id}>"
    assert delivery.header_id.endswith("@acme.test")
    assert mail["In-Reply-To"] == "<second@mail.example.com>"
    assert mail["References"] == "<first@mail.example.com> <second@mail.example.com>"
    assert mail["From"] == "Acme Help <support@acme.test>"
    assert mail["To"] == "carol@example.com"
    assert mail["Reply-To"] == tokens.reply_address("support@acme.test", conversation.pk)
    assert tokens.read_plus_token(mail["Reply-To"]) == conversation.pk
    assert mail["Subject"] == f"Re: My parcel arrived broken [#{conversation.pk}]"
    assert mail["Auto-Submitted"] is None  # a person wrote this one


def test_a_reply_goes_out_as_text_and_html_with_its_attachments_intact(
    sink, mailbox, agent, conversation, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("crack.png", PICTURE, content_type="image/png"),
        SimpleUploadedFile("notes.txt", NOTES, content_type="text/plain"),
        SimpleUploadedFile("Überweisung 7€.pdf", b"%PDF-1.4 fake", content_type="application/pdf"),
    ]
    reply(
        conversation,
        agent,
        django_capture_on_commit_callbacks,
        body="Tom & Jerry's <lamp> is on its way.\n\nRegards",
        files=files,
    )

    mail = sink.received[0].message
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Tom & Jerry's <lamp> is on its way." in text  # text stays as typed
    assert "Tom &amp; Jerry&#x27;s &lt;lamp&gt; is on its way." in html  # HTML is escaped
    assert f"/portal/c/{conversation.pk}/" in text
    attached = {part.get_filename(): part for part in mail.iter_attachments()}
    assert set(attached) == {"crack.png", "notes.txt", "Überweisung 7€.pdf"}
    assert attached["crack.png"].get_content_type() == "image/png"
    assert attached["crack.png"].get_payload(decode=True) == PICTURE
    assert attached["notes.txt"].get_payload(decode=True) == NOTES
    assert attached["Überweisung 7€.pdf"].get_payload(decode=True) == b"%PDF-1.4 fake"


def test_the_html_loads_nothing_from_anywhere(
    sink, mailbox, agent, conversation, django_capture_on_commit_callbacks, settings
):
    reply(conversation, agent, django_capture_on_commit_callbacks)

    html = sink.received[0].message.get_body(("html",)).get_content()
    assert not re.search(r"<(img|link|script|iframe|object)\b|src=|url\(", html, re.IGNORECASE)
    assert all(u.startswith(settings.BASE_URL) for u in re.findall(r'href="([^"]+)"', html))


def test_the_subject_carries_one_re_and_one_token(
    sink, mailbox, agent, customer, django_capture_on_commit_callbacks
):
    conversation = actions.open_conversation(
        customer=customer, subject="RE: Re: Lamp & shade [#99999]", body="It broke again."
    )

    reply(conversation, agent, django_capture_on_commit_callbacks)

    assert sink.received[0].message["Subject"] == f"Re: Lamp & shade [#{conversation.pk}]"


def test_our_next_reply_follows_our_previous_one_when_the_customer_never_emailed(
    sink, mailbox, agent, conversation, django_capture_on_commit_callbacks
):
    first = reply(conversation, agent, django_capture_on_commit_callbacks, body="One")
    second = reply(conversation, agent, django_capture_on_commit_callbacks, body="Two")

    opening, follow_up = (r.message for r in sink.received)
    assert opening["In-Reply-To"] is None and opening["References"] is None
    assert follow_up["Message-ID"] == f"<{second.header_id}>"
    assert follow_up["In-Reply-To"] == f"<{first.header_id}>"
    assert follow_up["References"] == f"<{first.header_id}>"


def test_references_keep_the_first_and_the_latest_ids(
    sink, mailbox, agent, conversation, django_capture_on_commit_callbacks
):
    for n in range(30):
        customer_email(conversation, f"m{n:02}@mail.example.com", minutes_ago=60 - n)

    reply(conversation, agent, django_capture_on_commit_callbacks)

    references = sink.received[0].message["References"].split()
    assert len(references) == 20
    assert references[0] == "<m00@mail.example.com>"
    assert references[1:] == [f"<m{n:02}@mail.example.com>" for n in range(11, 30)]


def test_mail_comes_from_the_mailbox_the_customer_last_wrote_to(
    sink, mailbox, billing, agent, conversation, django_capture_on_commit_callbacks
):
    sales = Mailbox.objects.create(name="Sales", address="sales@acme.test")
    customer_email(conversation, "a@mail.example.com", mailbox=mailbox, minutes_ago=20)
    customer_email(conversation, "b@mail.example.com", mailbox=sales, minutes_ago=5)

    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    mail = sink.received[0].message
    assert mail["From"] == "Acme Help <sales@acme.test>"
    assert mail["Reply-To"] == tokens.reply_address("sales@acme.test", conversation.pk)
    assert delivery.header_id.endswith("@acme.test")


def test_without_any_mailbox_mail_comes_from_the_default_address(
    sink, agent, conversation, django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = "Shop <help@shop.test>"

    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    mail = sink.received[0].message
    assert mail["From"] == "Acme Help <help@shop.test>"
    assert mail["Reply-To"] == tokens.reply_address("help@shop.test", conversation.pk)
    assert delivery.header_id.endswith("@shop.test")


def test_the_acknowledgement_answers_the_customers_email_as_a_robot(
    sink, mailbox, conversation: Conversation, django_capture_on_commit_callbacks
):
    opening = customer_email(conversation, "opening@mail.example.com", mailbox=mailbox)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.conversation_received(conversation, answering=opening)

    delivery = Delivery.objects.get(template="received")
    assert delivery.state == DeliveryState.SENT and delivery.message is None
    mail = sink.received[0].message
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["In-Reply-To"] == "<opening@mail.example.com>"
    assert mail["References"] == "<opening@mail.example.com>"
    assert mail["Subject"] == f"Re: My parcel arrived broken [#{conversation.pk}]"
    assert mail["Reply-To"] == tokens.reply_address("support@acme.test", conversation.pk)
    assert f"#{conversation.pk}" in mail.get_body(("plain",)).get_content()


def test_a_portal_acknowledgement_starts_the_thread(
    sink, mailbox, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.conversation_received(conversation)

    mail = sink.received[0].message
    assert mail["In-Reply-To"] is None
    assert mail["Subject"] == (
        f"We received your message: My parcel arrived broken [#{conversation.pk}]"
    )
    assert mail["From"] == "Acme Help <support@acme.test>"


def test_after_a_merge_mail_still_answers_the_customers_email(
    sink, mailbox, agent, customer, conversation, django_capture_on_commit_callbacks
):
    sales = Mailbox.objects.create(name="Sales", address="sales@acme.test")
    emailed = actions.open_conversation(customer=customer, subject="Same lamp", body="Again")
    customer_email(emailed, "merged-away@mail.example.com", mailbox=sales)
    actions.merge(source=emailed, target=conversation, actor=agent)

    reply(conversation, agent, django_capture_on_commit_callbacks)

    mail = sink.received[0].message
    assert mail["In-Reply-To"] == "<merged-away@mail.example.com>"
    assert mail["From"] == "Acme Help <sales@acme.test>"
    assert mail["Reply-To"] == tokens.reply_address("sales@acme.test", conversation.pk)
