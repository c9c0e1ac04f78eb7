"""Which conversation an incoming email belongs to.

In order of trust:
1. In-Reply-To / References naming a message we sent or received;
2. a signed plus-address token (support+c123-xxxx@...) among the recipients;
3. a "[#123]" subject token, when the sender is that conversation's customer;
4. the sender's own open conversation with the same subject, recently active.

A match that is closed is not reopened: the email starts a new conversation
linked to it. A match that was merged leads to where it was merged into.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from everydesk.conversations.models import Conversation, Status
from everydesk.customers.models import Customer
from everydesk.lib import direct_sql
from everydesk.mail.models import Delivery, InboundEmail
from everydesk.mail.parsed import ParsedEmail
from everydesk.mail.tokens import read_plus_token, read_subject_token, strip_subject_tokens

# "Re:", "Fwd:", "AW:", "WG:", "SV:", "Antw:", "RE[2]:", ... repeated.
_REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|odp|rif|r|tr|enc)(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)
_MAX_IDS = 50  # a References header can be huge; the nearest ones matter


@dataclass(frozen=True)
class Match:
    conversation: Conversation | None = None  # open or solved: the email joins it
    closed: Conversation | None = None  # closed: the email starts a follow-up of it


def clean_id(value: str) -> str:
    """A Message-ID as we store and compare it: no brackets, no whitespace."""
    value = "".join((value or "").split())
    return value.strip("<>")[:255]


def clean_subject(subject: str) -> str:
    return _REPLY_PREFIX.sub("", strip_subject_tokens(subject or "")).strip()[:255]


def find_conversation(inbound: InboundEmail, parsed: ParsedEmail, sender: Customer) -> Match:
    conversation = (
        _by_message_ids(parsed.thread_ids[:_MAX_IDS])
        or _by_plus_token([*inbound.envelope_recipients, *parsed.to, *parsed.cc])
        or _by_subject_token(parsed, sender)
        or _by_subject_and_sender(parsed, sender)
    )
    if conversation is None:
        return Match()
    conversation = _follow_merges(conversation)
    if conversation.status == Status.CLOSED:
        return Match(closed=conversation)
    return Match(conversation=conversation)


def _by_message_ids(header_ids: list[str]) -> Conversation | None:
    """The conversation of the nearest id we sent (a Delivery) or received (an email)."""
    if not header_ids:
        return None
    found: dict[str, Conversation] = {}
    # Sent first, then received oldest first: a later row for the same id wins.
    for header_id, conversation in _conversations_of(header_ids):
        found[header_id] = conversation
    return next((found[i] for i in header_ids if i in found), None)  # nearest first


def _conversations_of(header_ids: list[str]) -> list[tuple[str, Conversation]]:
    """(Message-ID, its conversation) for the ids we sent or received, in one query."""
    quote = connection.ops.quote_name
    columns = direct_sql.columns(Conversation, "c")
    conversations = quote(Conversation._meta.db_table)
    marks = ", ".join(["%s"] * len(header_ids))
    # Only quoted names from the models' metadata go into the text; ids are parameters.
    sql = (
        f"SELECT d.header_id, 0 AS sent_or_received, NULL AS received_at, {columns.sql} "  # noqa: S608
        f"FROM {quote(Delivery._meta.db_table)} d JOIN {conversations} c "
        f"ON c.id = d.conversation_id WHERE d.header_id IN ({marks}) "
        f"UNION ALL SELECT i.header_id, 1, i.received_at, {columns.sql} "
        f"FROM {quote(InboundEmail._meta.db_table)} i JOIN {conversations} c "
        f"ON c.id = i.conversation_id WHERE i.header_id IN ({marks}) "
        "ORDER BY 2, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*header_ids, *header_ids])
        rows = cursor.fetchall()
    return [(row[0], columns.instance(row[3:], connection)) for row in rows]  # type: ignore[misc]


def _by_plus_token(addresses: list[str]) -> Conversation | None:
    ids = [i for i in map(read_plus_token, addresses) if i is not None]
    return Conversation.objects.filter(pk__in=ids[:1]).first() if ids else None


def _by_subject_token(parsed: ParsedEmail, sender: Customer) -> Conversation | None:
    conversation_id = read_subject_token(parsed.subject)
    if conversation_id is None:
        return None
    # Anyone can type "[#123]": only its own customer may write into it this way.
    return Conversation.objects.filter(pk=conversation_id, customer=sender).first()


def _by_subject_and_sender(parsed: ParsedEmail, sender: Customer) -> Conversation | None:
    """The sender's open conversation with this subject (any case), most recently active."""
    subject = clean_subject(parsed.subject)
    if not subject or settings.EMAIL_THREAD_DAYS == 0:
        return None
    since = timezone.now() - timedelta(days=settings.EMAIL_THREAD_DAYS)
    # Most mail asks this, so it is SQL written once rather than a query compiled per
    # email; `subject iexact` is spelled as the ORM spells it on this database.
    ops, meta = connection.ops, Conversation._meta
    subject_field, updated_field = meta.get_field("subject"), meta.get_field("updated_at")
    iexact = connection.operators["iexact"] % "%s"
    columns = direct_sql.columns(Conversation, "c")
    # Only quoted names from the model's metadata go into the text; values are parameters.
    sql = (
        f"SELECT {columns.sql} FROM {ops.quote_name(meta.db_table)} c "  # noqa: S608
        f"WHERE c.customer_id = %s AND {ops.lookup_cast('iexact', 'CharField') % 'c.subject'} "
        f"{iexact} AND c.is_open AND c.merged_into_id IS NULL AND c.updated_at >= %s "
        "ORDER BY c.updated_at DESC LIMIT 1"
    )
    params = [
        sender.pk,
        ops.prep_for_iexact_query(subject_field.get_db_prep_value(subject, connection)),
        updated_field.get_db_prep_value(since, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else columns.instance(row, connection)  # type: ignore[return-value]


def _follow_merges(conversation: Conversation) -> Conversation:
    seen = {conversation.pk}
    while conversation.merged_into_id and conversation.merged_into_id not in seen:
        seen.add(conversation.merged_into_id)
        conversation = Conversation.objects.get(pk=conversation.merged_into_id)
    return conversation
