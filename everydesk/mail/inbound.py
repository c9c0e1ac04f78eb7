"""Every message that reaches us, through any door, comes through here.

Two steps, so that nothing is ever lost or doubled:

1. `receive` stores the raw bytes under an idempotency key (the Message-ID, or
   a hash of the bytes when there is none) and commits. The door acknowledges
   the message only after that.
2. `process_stored` reads a stored message and, in ONE transaction, turns it into a
   conversation or a message and marks the row done. A crash anywhere rolls
   back to "stored, pending"; `process_pending` finishes such rows later.

Whatever goes wrong with one message sends it to quarantine with the reason,
never past it: the bytes stay, and an admin can retry or discard it.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from everydesk.conversations import actions, events
from everydesk.conversations.models import Channel, Conversation, Kind, Message
from everydesk.customers.actions import find_or_create_customer
from everydesk.customers.models import Customer
from everydesk.lib import direct_sql
from everydesk.lib.errors import ActionError
from everydesk.mail import attachments, mailboxes, matching, outbox
from everydesk.mail.models import (
    Delivery,
    DeliveryState,
    InboundEmail,
    InboundState,
    Mailbox,
    Outcome,
)
from everydesk.mail.parse import parse
from everydesk.mail.parsed import ParsedEmail, UnreadableEmail

log = logging.getLogger(__name__)

# A row the sweep has started this many times without finishing is poison
# (it crashed the process each time): it goes to quarantine instead.
MAX_ATTEMPTS = 3
# At most one acknowledgement per address in this window, so two robots that
# answer each other cannot loop through us.
ACK_QUIET = timedelta(minutes=10)
NO_TEXT = "(This email has no text.)"
_PEEK = 256 * 1024  # header bytes read before parsing


@dataclass(frozen=True)
class Received:
    inbound: InboundEmail
    created: bool  # False: the same message was stored before


class Quarantine(Exception):
    """Stop processing this message and keep it in quarantine for this reason."""


# --- step 1: store -------------------------------------------------------------


@dataclass(frozen=True)
class Arrival:
    """One raw message as a door hands it over, with what the door knows about it."""

    raw: bytes
    source: str
    mailbox: Mailbox | None = None
    envelope_sender: str = ""
    envelope_recipients: Sequence[str] = ()
    history: bool = False
    parsed: ParsedEmail | None = None  # parse(raw), when the door parsed it ahead


def receive(
    raw: bytes,
    *,
    source: str,
    mailbox: Mailbox | None = None,
    envelope_sender: str = "",
    envelope_recipients: Sequence[str] = (),
    history: bool = False,
    process: bool = True,
    parsed: ParsedEmail | None = None,
) -> Received:
    """Durably store one raw message, then process it unless `process` is False.

    Bad mail never raises here (it goes to quarantine). A database failure
    does, and then nothing was stored: the door must not acknowledge.
    `parsed`, when given, must be parse(raw), computed ahead by the caller.
    """
    arrival = Arrival(
        raw, source, mailbox, envelope_sender, tuple(envelope_recipients), history, parsed
    )
    (received,) = store([arrival])
    if process and received.inbound.state == InboundState.PENDING:
        done = process_stored(received.inbound.pk, raw=raw, parsed=parsed, row=received.inbound)
        return Received(done, received.created)
    return received


def store(arrivals: Sequence[Arrival]) -> list[Received]:
    """Durably store raw messages, one row per idempotency key; commits on its own.

    One INSERT for them all (a bulk import stores a batch at a time); a key stored
    before, by this door or another, or earlier in the same call, is a duplicate and
    answered with the row already there.
    """
    rows = [_row(arrival) for arrival in arrivals]
    with transaction.atomic():
        new = {row.key: row for row in direct_sql.insert_new(rows, unique="key")}
        earlier = [row.key for row in rows if row.key not in new]
        known = (
            {row.key: row for row in InboundEmail.objects.defer("raw").filter(key__in=earlier)}
            if earlier
            else {}
        )
    received = []
    for row in rows:
        first = new.pop(row.key, None)
        if first is not None:
            received.append(Received(first, created=True))
        else:  # stored before, or a moment ago in this same call
            received.append(Received(known.get(row.key) or _same_call(received, row.key), False))
    return received


def _same_call(received: list[Received], key: str) -> InboundEmail:
    return next(r.inbound for r in received if r.inbound.key == key)


def _row(arrival: Arrival) -> InboundEmail:
    raw, mailbox = arrival.raw, arrival.mailbox
    if mailbox is None:
        mailbox = next(filter(None, map(mailbox_for_recipient, arrival.envelope_recipients)), None)
    headers = peek(raw, arrival.parsed)
    return InboundEmail(
        key=idempotency_key(raw, headers.header_id),
        header_id=headers.header_id,
        sender=headers.sender,
        subject=headers.subject,
        mailbox=mailbox,
        source=arrival.source,
        envelope_sender=arrival.envelope_sender[:255],
        envelope_recipients=[r[:255] for r in arrival.envelope_recipients][:100],
        raw=raw,
        size=len(raw),
        history=arrival.history,
    )


@dataclass(frozen=True)
class Peek:
    """What the headers say before full parsing, so even unparsed mail is findable."""

    header_id: str = ""
    sender: str = ""
    subject: str = ""


def peek(raw: bytes, parsed: ParsedEmail | None = None) -> Peek:
    """The id always comes from here, so a message has one key whichever door it used."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[: _header_end(raw)])
        header_id = matching.clean_id(str(headers.get("Message-ID", "") or ""))
    except Exception:  # any unreadable header means "no usable id"
        return Peek()
    if parsed is not None:
        return Peek(header_id, parsed.from_address[:255], parsed.subject[:255])
    try:
        sender = parseaddr(str(make_header(decode_header(str(headers.get("From", ""))))))[1]
        subject = " ".join(str(make_header(decode_header(str(headers.get("Subject", ""))))).split())
    except Exception:  # a readable id is enough to store; the parser will try harder
        return Peek(header_id)
    return Peek(header_id, sender.lower()[:255], subject[:255])


def _header_end(raw: bytes) -> int:
    """Where the header certainly ends (at an empty line), so the parser skips the body:
    a tenth of a millisecond per message. At most 256 KB of it is read."""
    ends = [
        i + len(line) for line in (b"\n\n", b"\r\n\r\n") if (i := raw.find(line, 0, _PEEK)) >= 0
    ]
    return min(ends, default=_PEEK)


def idempotency_key(raw: bytes, header_id: str) -> str:
    if header_id:
        return "mid:" + hashlib.sha256(header_id.encode("utf-8", "replace")).hexdigest()
    return "sha:" + hashlib.sha256(raw).hexdigest()


def mailbox_for_recipient(address: str) -> Mailbox | None:
    """The active mailbox an address belongs to, plus-addresses included."""
    return mailboxes.for_recipient(address)


# --- step 2: process -----------------------------------------------------------


# What processing writes back: never the raw bytes, which can be megabytes.
_PROCESSED_FIELDS = [
    "state",
    "outcome",
    "reason",
    "processed_at",
    "sender",
    "subject",
    "mailbox",
    "conversation",
    "message",
]


def process_stored(
    inbound_id: int,
    *,
    raw: bytes | None = None,
    parsed: ParsedEmail | None = None,
    row: InboundEmail | None = None,
    retried_by_admin: bool = False,
) -> InboundEmail:
    """Turn a stored message into a conversation or message; a no-op if already done.

    `raw` saves reading the bytes back when the caller has just stored them, `row`
    (without its bytes) reading the row; `parsed` is the result of parse(raw) when
    a caller parsed it ahead (in parallel). Parsing happens before the write
    transaction, so it never holds the writer lock.
    """
    try:
        if parsed is None:
            parsed = _parse_stored(inbound_id, raw)
        with transaction.atomic():
            inbound = row or InboundEmail.objects.defer("raw").get(pk=inbound_id)
            if inbound.state != InboundState.PENDING:
                return inbound
            _process(inbound, parsed, retried_by_admin=retried_by_admin)
            inbound.processed_at = timezone.now()
            # The row is claimed only here, with its result: if another process
            # finished it meanwhile (a sweep, an admin's retry), this one's work is
            # rolled back and theirs stands. One statement instead of a locking read.
            if not direct_sql.update(
                inbound, _PROCESSED_FIELDS, where={"state": InboundState.PENDING}
            ):
                raise _FinishedElsewhere
            return inbound
    except _FinishedElsewhere:
        return InboundEmail.objects.defer("raw").get(pk=inbound_id)
    except Quarantine as reason:
        return quarantine(inbound_id, str(reason))
    except DatabaseError:
        raise  # the database is the problem, not the message: stay pending, retry later
    except Exception as error:  # no single message may stop the path
        log.exception("inbound email %s could not be processed", inbound_id)
        return quarantine(inbound_id, f"Processing failed: {type(error).__name__}: {error}")


class _FinishedElsewhere(Exception):
    """Another process finished this message first; roll this attempt back."""


def process_pending(*, older_than: timedelta = timedelta(0)) -> int:
    """Finish what a crash left stored but unprocessed. Returns how many were finished."""
    cutoff = timezone.now() - older_than
    pending = InboundEmail.objects.filter(state=InboundState.PENDING, received_at__lte=cutoff)
    done = 0
    for inbound_id in pending.order_by("received_at", "id").values_list("id", flat=True):
        # Count the attempt in its own commit, so a message that kills the
        # process every time is recognised on the next sweep.
        attempts = _count_attempt(inbound_id)
        if attempts > MAX_ATTEMPTS:
            quarantine(inbound_id, f"Processing did not finish after {MAX_ATTEMPTS} attempts.")
        else:
            process_stored(inbound_id)
        done += 1
    return done


def _count_attempt(inbound_id: int) -> int:
    with transaction.atomic():
        inbound = InboundEmail.objects.select_for_update().defer("raw").get(pk=inbound_id)
        inbound.attempts += 1
        inbound.save(update_fields=["attempts"])
        return inbound.attempts


def quarantine(inbound_id: int, reason: str) -> InboundEmail:
    """Keep a pending message aside with the reason; one already processed is left alone."""
    with transaction.atomic():
        inbound = InboundEmail.objects.select_for_update().defer("raw").get(pk=inbound_id)
        if inbound.state == InboundState.PENDING:
            inbound.state = InboundState.QUARANTINED
            inbound.reason = reason[:2000]
            inbound.processed_at = timezone.now()
            inbound.save(update_fields=["state", "reason", "processed_at"])
        return inbound


def _parse_stored(inbound_id: int, raw: bytes | None) -> ParsedEmail:
    if raw is None:
        raw = bytes(InboundEmail.objects.values_list("raw", flat=True).get(pk=inbound_id))
    if len(raw) > settings.EMAIL_MAX_BYTES:
        limit = settings.EMAIL_MAX_BYTES // (1024 * 1024)
        raise Quarantine(f"The message is larger than the {limit} MB limit.")
    try:
        return parse(raw)
    except UnreadableEmail as error:
        raise Quarantine(f"Unreadable: {error}") from None


def _process(inbound: InboundEmail, parsed: ParsedEmail, *, retried_by_admin: bool) -> None:
    inbound.sender = parsed.from_address[:255]
    inbound.subject = parsed.subject[:255]
    # The mailbox from this process's cache: a row read back would load it lazily.
    inbound.mailbox = (
        mailboxes.by_id(inbound.mailbox_id) if inbound.mailbox_id else None
    ) or _mailbox_from_headers(parsed)

    if mailboxes.is_ours(parsed.from_address):
        inbound.state, inbound.outcome = InboundState.IGNORED, Outcome.OWN_MAIL
        inbound.reason = "Sent from one of our own addresses; never ingested (loop guard)."
        return
    if parsed.bounce:
        _read_bounce(inbound, parsed)
        return
    if not parsed.from_address:
        raise Quarantine("No sender address could be read.")
    if not (inbound.history or retried_by_admin):
        _refuse_flood(inbound)

    try:
        customer = find_or_create_customer(email=parsed.from_address, name=parsed.from_name)
    except ActionError as error:
        raise Quarantine(f"Sender {parsed.from_address!r}: {error.message}") from None
    _clear_bounce(customer)
    found = matching.find_conversation(inbound, parsed, customer)

    if parsed.auto and found.conversation:
        events.auto_reply(found.conversation, parsed.subject[:255], parsed.auto)
        inbound.conversation = found.conversation
        inbound.state, inbound.outcome = InboundState.DONE, Outcome.AUTO_REPLY
        return
    if found.conversation:
        _add_to(inbound, parsed, found.conversation, customer)
    else:
        _open(inbound, parsed, customer, follow_up_of=found.closed)
    inbound.state = InboundState.DONE


def _add_to(
    inbound: InboundEmail, parsed: ParsedEmail, conversation: Conversation, customer: Customer
) -> None:
    files, note = attachments.uploads(parsed)
    message = actions.add_customer_message(
        conversation=conversation,
        customer=customer,
        body=_body(parsed, note),
        html=parsed.html,
        channel=Channel.EMAIL,
        files=files,
    )
    attachments.link_inline_images(message)
    inbound.conversation, inbound.message = conversation, message
    inbound.outcome = Outcome.ADDED_MESSAGE


def _open(
    inbound: InboundEmail,
    parsed: ParsedEmail,
    customer: Customer,
    *,
    follow_up_of: Conversation | None,
) -> None:
    files, note = attachments.uploads(parsed)
    conversation = actions.open_conversation(
        customer=customer,
        subject=matching.clean_subject(parsed.subject) or "(no subject)",
        body=_body(parsed, note),
        html=parsed.html,
        kind=Kind.OTHER,
        channel=Channel.EMAIL,
        files=files,
        team=inbound.mailbox.team if inbound.mailbox else None,
    )
    # Its only message (nobody else sees the conversation before this commits).
    message = direct_sql.get_by(Message, "conversation", conversation.pk)
    assert message is not None
    attachments.link_inline_images(message)
    if follow_up_of:
        conversation.follow_up_of = follow_up_of
        conversation.save(update_fields=["follow_up_of"])
        events.followed_up(follow_up_of, conversation)
    inbound.conversation, inbound.message = conversation, message
    inbound.outcome = Outcome.NEW_CONVERSATION
    if _should_acknowledge(inbound, parsed, customer):
        outbox.conversation_received(conversation, answering=inbound)


def _body(parsed: ParsedEmail, note: str) -> str:
    text = parsed.text.strip() or NO_TEXT
    return f"{note}\n\n{text}" if note else text


def _mailbox_from_headers(parsed: ParsedEmail) -> Mailbox | None:
    for address in [*parsed.to, *parsed.cc]:
        if mailbox := mailbox_for_recipient(address):
            return mailbox
    return None


def _refuse_flood(inbound: InboundEmail) -> None:
    since = timezone.now() - timedelta(minutes=settings.EMAIL_FLOOD_MINUTES)
    recent = (
        InboundEmail.objects.filter(sender=inbound.sender, received_at__gte=since)
        .exclude(pk=inbound.pk)
        .exclude(state=InboundState.PENDING)
        .count()
    )
    if recent >= settings.EMAIL_FLOOD_LIMIT:
        raise Quarantine(
            f"Flood: {recent} messages from {inbound.sender} in the last "
            f"{settings.EMAIL_FLOOD_MINUTES} minutes. Retry to let it through."
        )


def _should_acknowledge(inbound: InboundEmail, parsed: ParsedEmail, customer: Customer) -> bool:
    if inbound.history or parsed.auto or not inbound.mailbox or not inbound.mailbox.acknowledge:
        return False
    if customer.email_bouncing_since:
        return False
    recently = timezone.now() - ACK_QUIET
    return not Delivery.objects.filter(
        template="received", to=customer.email, created_at__gte=recently
    ).exists()


# --- bounces -------------------------------------------------------------------


def _read_bounce(inbound: InboundEmail, parsed: ParsedEmail) -> None:
    bounce = parsed.bounce
    assert bounce is not None
    reason = " ".join(filter(None, [bounce.status, bounce.diagnostic]))[:255] or "bounced"
    now = timezone.now()
    Customer.objects.filter(email__in=[r.lower() for r in bounce.recipients]).update(
        email_bouncing_since=now, email_bounce_reason=reason
    )
    delivery = (
        Delivery.objects.filter(header_id=bounce.original_header_id)
        .select_related("conversation")
        .first()
        if bounce.original_header_id
        else None
    )
    if delivery:
        delivery.state, delivery.last_error = DeliveryState.BOUNCED, reason
        delivery.save(update_fields=["state", "last_error"])
        events.delivery_failed(delivery.conversation, delivery)
        inbound.conversation = delivery.conversation
    inbound.state, inbound.outcome = InboundState.DONE, Outcome.BOUNCE


def _clear_bounce(customer: Customer) -> None:
    """They wrote to us, so their address works again."""
    if customer.email_bouncing_since:
        customer.email_bouncing_since, customer.email_bounce_reason = None, ""
        customer.save(update_fields=["email_bouncing_since", "email_bounce_reason"])


# --- admin actions on quarantine -----------------------------------------------


def retry(inbound: InboundEmail) -> InboundEmail:
    """An admin lets a quarantined message through again (the flood check is skipped)."""
    with transaction.atomic():
        updated = InboundEmail.objects.filter(pk=inbound.pk, state=InboundState.QUARANTINED).update(
            state=InboundState.PENDING, reason="", attempts=0
        )
    if not updated:
        raise ActionError("Only quarantined messages can be retried.", code="conflict")
    return process_stored(inbound.pk, retried_by_admin=True)


def discard(inbound: InboundEmail) -> None:
    """An admin decides a quarantined message is junk. The row stays as a record."""
    updated = InboundEmail.objects.filter(pk=inbound.pk, state=InboundState.QUARANTINED).update(
        state=InboundState.DISCARDED, processed_at=timezone.now()
    )
    if not updated:
        raise ActionError("Only quarantined messages can be discarded.", code="conflict")
