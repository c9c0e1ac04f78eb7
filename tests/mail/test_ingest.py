"""The one ingestion path: stored first, then exactly one conversation or message."""

import pytest
from django.db import DatabaseError

from everydesk.conversations import actions
from everydesk.conversations.models import (
    Channel,
    Conversation,
    EventType,
    Kind,
    Message,
    Status,
)
from everydesk.customers.models import Customer
from everydesk.mail import inbound
from everydesk.mail.models import Delivery, InboundEmail, InboundState, Outcome
from everydesk.mail.tokens import reply_address
from tests.mail.messages import email_bytes, message_id_of

pytestmark = pytest.mark.django_db


def _receive(raw: bytes, **options) -> InboundEmail:
    options.setdefault("source", "pipe")
    return inbound.receive(raw, **options).inbound


def test_new_email_opens_a_conversation_for_the_mailboxs_team(mailbox):
    stored = _receive(email_bytes(sender="Dana Diaz <Dana@Example.com>"))

    assert stored.state == InboundState.DONE
    assert stored.outcome == Outcome.NEW_CONVERSATION
    conversation = stored.conversation
    assert conversation.subject == "My order never arrived"
    assert conversation.channel == Channel.EMAIL
    assert conversation.kind == Kind.OTHER
    assert conversation.team == mailbox.team
    assert conversation.customer.email == "dana@example.com"
    assert conversation.customer.name == "Dana Diaz"
    message = conversation.messages.get()
    assert "order 1042 never arrived" in message.body_text
    assert stored.message == message
    assert stored.mailbox == mailbox


def test_the_same_email_twice_is_stored_and_ingested_once(mailbox):
    raw = email_bytes()
    first = inbound.receive(raw, source="smtp")
    again = inbound.receive(raw, source="imap")

    assert first.created and not again.created
    assert again.inbound.pk == first.inbound.pk
    assert InboundEmail.objects.count() == 1
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 1


def test_without_a_message_id_the_bytes_identify_the_email(mailbox):
    raw = email_bytes(message_id=None)
    inbound.receive(raw, source="pipe")
    inbound.receive(raw, source="pipe")
    inbound.receive(email_bytes(message_id=None, body="Another one"), source="pipe")

    assert InboundEmail.objects.count() == 2
    assert Conversation.objects.count() == 1  # the second joins by subject and sender
    assert Message.objects.count() == 2


def test_stored_but_unprocessed_mail_is_finished_by_the_sweep(mailbox):
    received = inbound.receive(email_bytes(), source="smtp", process=False)
    assert received.inbound.state == InboundState.PENDING
    assert Conversation.objects.count() == 0

    assert inbound.process_pending() == 1

    received.inbound.refresh_from_db()
    assert received.inbound.state == InboundState.DONE
    assert Conversation.objects.count() == 1
    assert inbound.process_pending() == 0


def test_processing_twice_changes_nothing(mailbox):
    stored = _receive(email_bytes())
    again = inbound.process_stored(stored.pk)

    assert again.state == InboundState.DONE
    assert Message.objects.count() == 1


def test_a_reply_by_in_reply_to_joins_the_conversation(mailbox):
    first_raw = email_bytes()
    first = _receive(first_raw)
    reply = _receive(
        email_bytes(
            subject="Something else entirely",
            body="Any news?",
            in_reply_to=message_id_of(first_raw),
            references=message_id_of(first_raw),
        )
    )

    assert reply.outcome == Outcome.ADDED_MESSAGE
    assert reply.conversation == first.conversation
    assert first.conversation.messages.count() == 2


def test_a_signed_plus_address_routes_to_its_conversation(mailbox, customer):
    conversation = actions.open_conversation(customer=customer, subject="Refund", body="Please")
    colleague = _receive(
        email_bytes(
            sender="Ben <ben@example.com>",
            to=reply_address(mailbox.address, conversation.pk),
            subject="About that",
        )
    )
    assert colleague.conversation == conversation


def test_a_forged_plus_address_does_not(mailbox, customer):
    conversation = actions.open_conversation(customer=customer, subject="Refund", body="Please")
    forged = f"support+c{conversation.pk}-aaaaaaaa@acme.test"
    stored = _receive(email_bytes(sender="mallory@evil.test", to=forged, subject="Refund"))

    assert stored.outcome == Outcome.NEW_CONVERSATION
    assert stored.conversation != conversation
    # The plus form of a mailbox address still reaches that mailbox.
    assert stored.mailbox == mailbox


def test_subject_token_counts_only_for_the_conversations_own_customer(mailbox, customer):
    conversation = actions.open_conversation(customer=customer, subject="Refund", body="Please")
    subject = f"Re: Refund [#{conversation.pk}]"

    own = _receive(email_bytes(sender="carol@example.com", subject=subject))
    stranger = _receive(email_bytes(sender="mallory@evil.test", subject=subject))

    assert own.conversation == conversation
    assert stranger.conversation != conversation
    assert stranger.conversation.subject == "Refund"  # tokens and Re: are cleaned off


def test_same_sender_and_subject_joins_the_open_conversation(mailbox):
    first = _receive(email_bytes(subject="Broken zipper"))
    second = _receive(email_bytes(subject="RE: AW: Broken zipper", body="Photo attached"))

    assert second.conversation == first.conversation


def test_answering_a_closed_conversation_starts_a_linked_follow_up(mailbox, agent):
    first_raw = email_bytes(subject="Broken zipper")
    first = _receive(first_raw)
    actions.change_status(conversation=first.conversation, actor=agent, status=Status.CLOSED)

    later = _receive(email_bytes(subject="Re: Broken zipper", in_reply_to=message_id_of(first_raw)))

    assert later.outcome == Outcome.NEW_CONVERSATION
    assert later.conversation != first.conversation
    assert later.conversation.follow_up_of == first.conversation
    assert first.conversation.events.filter(type=EventType.FOLLOWED_UP).exists()


def test_a_solved_conversation_reopens_when_the_customer_answers(mailbox, agent):
    first_raw = email_bytes()
    first = _receive(first_raw)
    actions.change_status(conversation=first.conversation, actor=agent, status=Status.SOLVED)

    _receive(email_bytes(body="Still broken", in_reply_to=message_id_of(first_raw)))

    first.conversation.refresh_from_db()
    assert first.conversation.status == Status.OPEN


def test_mail_to_a_merged_conversation_lands_where_it_was_merged(mailbox, agent):
    a_raw = email_bytes(subject="First")
    a = _receive(a_raw)
    b = _receive(email_bytes(subject="Second"))
    actions.merge(source=a.conversation, target=b.conversation, actor=agent)

    answer = _receive(email_bytes(subject="Re: First", in_reply_to=message_id_of(a_raw)))

    assert answer.conversation == b.conversation


def test_a_vacation_notice_on_a_thread_is_noted_not_added(mailbox):
    first_raw = email_bytes()
    first = _receive(first_raw)
    notice = _receive(
        email_bytes(
            subject="Out of office",
            body="I am away until Monday.",
            in_reply_to=message_id_of(first_raw),
            headers={"Auto-Submitted": "auto-replied"},
        )
    )

    assert notice.outcome == Outcome.AUTO_REPLY
    assert notice.conversation == first.conversation
    assert first.conversation.messages.count() == 1
    assert first.conversation.events.filter(type=EventType.AUTO_REPLY).exists()


def test_mail_from_our_own_address_is_never_ingested(mailbox, settings):
    stored = _receive(email_bytes(sender="Support <support+c1-abc@acme.test>"))

    assert stored.state == InboundState.IGNORED
    assert stored.outcome == Outcome.OWN_MAIL
    assert Conversation.objects.count() == 0


def test_a_flooding_sender_is_quarantined_and_can_be_let_through(mailbox, settings):
    settings.EMAIL_FLOOD_LIMIT = 3
    results = [_receive(email_bytes(subject=f"Spam {n}")) for n in range(5)]

    assert [r.state for r in results] == [InboundState.DONE] * 3 + [InboundState.QUARANTINED] * 2
    assert "Flood" in results[3].reason

    retried = inbound.retry(results[3])
    assert retried.state == InboundState.DONE
    assert Conversation.objects.count() == 4


def test_an_unreadable_message_is_kept_in_quarantine_with_its_reason(mailbox):
    stored = _receive(b"")

    assert stored.state == InboundState.QUARANTINED
    assert stored.reason
    assert InboundEmail.objects.get().raw == b""


def test_a_too_large_message_is_quarantined_unparsed(mailbox, settings):
    raw = email_bytes(body="x" * 5000)
    settings.EMAIL_MAX_BYTES = 1000
    stored = _receive(raw)

    assert stored.state == InboundState.QUARANTINED
    assert "larger than" in stored.reason
    assert bytes(InboundEmail.objects.get().raw) == raw


def test_a_crash_while_processing_quarantines_that_message_only(mailbox, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "open_conversation", explode)
    bad = _receive(email_bytes(subject="One"))
    monkeypatch.undo()
    good = _receive(email_bytes(sender="zed@example.com", subject="Two"))

    assert bad.state == InboundState.QUARANTINED
    assert "disk on fire" in bad.reason
    assert good.state == InboundState.DONE
    assert Conversation.objects.count() == 1  # nothing half-written for the bad one
    assert Customer.objects.filter(email="carol@example.com").exists() is False


def test_a_database_failure_leaves_the_message_pending(mailbox, monkeypatch):
    def db_down(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(actions, "open_conversation", db_down)
    with pytest.raises(DatabaseError):
        _receive(email_bytes())
    monkeypatch.undo()

    stored = InboundEmail.objects.get()
    assert stored.state == InboundState.PENDING
    inbound.process_pending()
    stored.refresh_from_db()
    assert stored.state == InboundState.DONE


def test_a_message_that_keeps_failing_goes_to_quarantine(mailbox, monkeypatch):
    received = inbound.receive(email_bytes(), source="smtp", process=False)
    InboundEmail.objects.filter(pk=received.inbound.pk).update(attempts=inbound.MAX_ATTEMPTS)

    inbound.process_pending()

    received.inbound.refresh_from_db()
    assert received.inbound.state == InboundState.QUARANTINED
    assert "attempts" in received.inbound.reason


def test_quarantine_can_be_discarded_but_nothing_else(mailbox):
    bad = _receive(b"")
    good = _receive(email_bytes())

    inbound.discard(bad)
    bad.refresh_from_db()
    assert bad.state == InboundState.DISCARDED
    with pytest.raises(Exception, match="Only quarantined"):
        inbound.discard(good)


def test_attachments_are_stored_and_inline_images_linked(mailbox):
    stored = _receive(
        email_bytes(
            html='<p>See <img src="cid:logo@x"></p>',
            attachments=[("invoice.pdf", "application/pdf", b"%PDF-1.4 test")],
        )
    )
    message = stored.message
    assert [a.filename for a in message.attachments.all()] == ["invoice.pdf"]
    assert message.attachments.get().file.read() == b"%PDF-1.4 test"


def test_attachments_over_the_limit_are_named_not_dropped_silently(mailbox, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    stored = _receive(
        email_bytes(attachments=[("big.bin", "application/octet-stream", b"0" * 100)])
    )
    assert stored.message.attachments.count() == 0
    assert "big.bin" in stored.message.body_text
    assert "original email" in stored.message.body_text


def test_acknowledgement_once_for_a_new_conversation(mailbox):
    _receive(email_bytes(subject="One"))
    _receive(email_bytes(subject="Two"))  # same sender, minutes later: no second ack

    acks = Delivery.objects.filter(template="received")
    assert acks.count() == 1
    assert acks.get().to == "carol@example.com"


@pytest.mark.parametrize(
    "options, headers",
    [
        ({"history": True}, {}),
        ({}, {"Auto-Submitted": "auto-generated"}),
        ({}, {"Precedence": "bulk"}),
    ],
)
def test_no_acknowledgement_for_history_or_machine_mail(mailbox, options, headers):
    stored = _receive(email_bytes(headers=headers), **options)

    assert stored.outcome == Outcome.NEW_CONVERSATION
    assert not Delivery.objects.filter(template="received").exists()


def test_no_acknowledgement_when_the_mailbox_says_so(mailbox):
    mailbox.acknowledge = False
    mailbox.save()
    _receive(email_bytes())
    assert not Delivery.objects.exists()


def _dsn(*, failed: str, original_id: str) -> bytes:
    from email.mime.message import MIMEMessage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.parser import Parser

    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.com>"
    report["To"] = "support@acme.test"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Message-ID"] = "<bounce-1@mx.example.com>"
    report["Auto-Submitted"] = "auto-replied"
    report.attach(MIMEText("Your message could not be delivered."))
    status = Parser().parsestr(
        "Reporting-MTA: dns; mx.example.com\n\n"
        f"Final-Recipient: rfc822; {failed}\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n",
    )
    delivery_status = MIMEMultipart("delivery-status")
    delivery_status.set_payload([status])
    delivery_status.set_type("message/delivery-status")
    report.attach(delivery_status)
    original = Parser().parsestr(
        f"From: support@acme.test\nTo: {failed}\nSubject: Re: Refund\n"
        f"Message-ID: <{original_id}>\n\nHello\n"
    )
    report.attach(MIMEMessage(original))
    return report.as_bytes()


def test_a_bounce_marks_the_address_and_the_delivery(mailbox, customer):
    conversation = actions.open_conversation(customer=customer, subject="Refund", body="Please")
    delivery = Delivery.objects.create(
        conversation=conversation, template="reply", to=customer.email, header_id="r1.c1@acme.test"
    )

    stored = _receive(_dsn(failed=customer.email, original_id=delivery.header_id))

    assert stored.outcome == Outcome.BOUNCE
    assert stored.conversation == conversation
    customer.refresh_from_db()
    assert customer.email_bouncing_since is not None
    assert "5.1.1" in customer.email_bounce_reason
    delivery.refresh_from_db()
    assert delivery.state == "bounced"
    assert conversation.events.filter(type=EventType.DELIVERY_FAILED).exists()
    assert conversation.messages.count() == 1  # the bounce is no message from the customer

    # Writing to us again proves the address works.
    _receive(email_bytes(sender=customer.email, subject="New topic"))
    customer.refresh_from_db()
    assert customer.email_bouncing_since is None


def test_the_api_shows_which_conversation_a_follow_up_continues(client, mailbox, agent):
    from everydesk.accounts.models import ApiToken

    first_raw = email_bytes(subject="Broken zipper")
    first = _receive(first_raw)
    actions.change_status(conversation=first.conversation, actor=agent, status=Status.CLOSED)
    later = _receive(email_bytes(subject="Re: Broken zipper", in_reply_to=message_id_of(first_raw)))
    _, secret = ApiToken.issue(user=agent, name="test")

    response = client.get(
        f"/api/v1/conversations/{later.conversation.pk}",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["follow_up_of"] == first.conversation.pk
    assert response.json()["channel"] == "email"


def test_the_worker_finishes_mail_left_pending(mailbox):
    from datetime import timedelta

    from django.utils import timezone

    from everydesk.mail.tasks import finish_pending_inbound

    received = inbound.receive(email_bytes(), source="smtp", process=False)
    finish_pending_inbound()
    received.inbound.refresh_from_db()
    assert received.inbound.state == InboundState.PENDING  # fresh: its own job will run

    InboundEmail.objects.update(received_at=timezone.now() - timedelta(minutes=2))
    finish_pending_inbound()
    received.inbound.refresh_from_db()
    assert received.inbound.state == InboundState.DONE
