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
from django.utils import timezone

from everydesk.conversations.models import Conversation, Status
from everydesk.customers.models import Customer
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
    if not header_ids:
        return None
    found: dict[str, int] = dict(
        Delivery.objects.filter(header_id__in=header_ids).values_list("header_id", "conversation")
    )
    found.update(
        InboundEmail.objects.filter(header_id__in=header_ids, conversation__isnull=False)
        .values_list("header_id", "conversation")
        .order_by("received_at")
    )
    for header_id in header_ids:  # nearest first
        if header_id in found:
            return Conversation.objects.filter(pk=found[header_id]).first()
    return None


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
    subject = clean_subject(parsed.subject)
    if not subject or settings.EMAIL_THREAD_DAYS == 0:
        return None
    since = timezone.now() - timedelta(days=settings.EMAIL_THREAD_DAYS)
    return (
        Conversation.objects.filter(
            customer=sender,
            subject__iexact=subject,
            is_open__in=[True],
            merged_into__isnull=True,
            updated_at__gte=since,
        )
        .order_by("-updated_at")
        .first()
    )


def _follow_merges(conversation: Conversation) -> Conversation:
    seen = {conversation.pk}
    while conversation.merged_into_id and conversation.merged_into_id not in seen:
        seen.add(conversation.merged_into_id)
        conversation = Conversation.objects.get(pk=conversation.merged_into_id)
    return conversation
