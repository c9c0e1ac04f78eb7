"""Who our mail about a conversation comes from, and where it sits in the customer's thread.

- From: the mailbox the customer last wrote to, so the answer comes from the address
  they know; else the first active mailbox; else DEFAULT_FROM_EMAIL.
- Reply-To: that address with the conversation's signed plus-token, so an answer finds
  its conversation even from a mail program that drops In-Reply-To.
- In-Reply-To and References: the Message-IDs known for the conversation (the
  customer's emails and our own mail), so mail programs thread the answer.
"""

from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings

from everydesk.conversations.models import Conversation
from everydesk.mail import tokens
from everydesk.mail.models import Delivery, DeliveryState, InboundEmail, Mailbox

# RFC 5322 lets References grow with every message; long headers get folded or cut by
# some servers. When trimming, the first id (the thread's root) and the newest are kept.
MAX_REFERENCES = 20


@dataclass(frozen=True)
class Sender:
    address: str  # bare address of the mailbox, e.g. support@acme.test

    @property
    def from_header(self) -> str:
        return formataddr((settings.SITE_NAME, self.address))

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "localhost"

    def reply_to(self, conversation_id: int) -> str:
        return tokens.reply_address(self.address, conversation_id)


@dataclass(frozen=True)
class ThreadIds:
    in_reply_to: str  # "" when nothing came before
    references: list[str]

    def as_headers(self) -> dict[str, str]:
        if not self.references:
            return {}
        return {
            "In-Reply-To": f"<{self.in_reply_to}>",
            "References": " ".join(f"<{header_id}>" for header_id in self.references),
        }


def sender_for(conversation: Conversation, *, mailbox: Mailbox | None = None) -> Sender:
    """`mailbox`: the one the customer just wrote to, when the caller already knows it."""
    if mailbox is None or not mailbox.active:
        mailbox = (
            _last_mailbox(conversation)
            or Mailbox.objects.filter(active=True).order_by("pk").first()
        )
    if mailbox is not None:
        return Sender(mailbox.address)
    return Sender(parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower() or "support@localhost")


def _last_mailbox(conversation: Conversation) -> Mailbox | None:
    # From Mailbox, not InboundEmail: that row carries the raw message, megabytes maybe.
    return (
        Mailbox.objects.filter(
            inbound__conversation_id__in=_thread_conversations(conversation), active=True
        )
        .order_by("-inbound__received_at", "-inbound__pk")
        .first()
    )


def _thread_conversations(conversation: Conversation) -> list[int]:
    # Mail of conversations merged into this one belongs to the same thread for the customer.
    # Ids first, so each lookup is an index range on (conversation, received_at), not an OR
    # across a join.
    merged = Conversation.objects.filter(merged_into=conversation).values_list("pk", flat=True)
    return [conversation.pk, *merged]


def thread_ids(delivery: Delivery) -> ThreadIds:
    """The ids this delivery answers. Only what existed when it was created counts,
    so a retry hours later carries the same headers as the first attempt."""
    conversations = _thread_conversations(delivery.conversation)
    received = list(
        InboundEmail.objects.filter(
            conversation_id__in=conversations, received_at__lte=delivery.created_at
        )
        .exclude(header_id="")
        .values_list("received_at", "header_id")
    )
    sent = list(
        Delivery.objects.filter(conversation_id__in=conversations, pk__lt=delivery.pk)
        .exclude(state__in=[DeliveryState.FAILED, DeliveryState.BOUNCED])
        .values_list("created_at", "header_id")
    )
    chain = _unique([header_id for _, header_id in sorted(received + sent)])
    if not chain:
        return ThreadIds("", [])
    # The customer's latest email is what we answer; without one, our own previous mail.
    parent = max(received)[1] if received else chain[-1]
    return ThreadIds(parent, _trim(chain))


def _unique(header_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(header_ids))


def _trim(chain: list[str]) -> list[str]:
    if len(chain) <= MAX_REFERENCES:
        return chain
    return [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
