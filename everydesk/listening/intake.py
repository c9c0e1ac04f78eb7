"""Customer text in: one Voice row per piece of it, written in the caller's transaction.

Every door calls `record_voice` (customer messages through the conversation actions;
surveys, reviews and board posts later). It adds one INSERT, built once per
connection (lib/direct_sql), to the busiest write of the product, and never a job
per message: after commit it nudges the one scoring job, at most about once a
second per process (see `nudge`).
"""

import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from everydesk.conversations.models import Channel, Conversation, Message
from everydesk.customers.models import Customer
from everydesk.lib import direct_sql
from everydesk.listening.models import ConversationVector, Voice, VoiceSource
from everydesk.mail.quotes import split_reply

# Models read the first few hundred words; a pasted log or contract adds nothing but cost.
MAX_TEXT = 4000


def voice_text(text: str, *, channel: str = "") -> str:
    """What the customer newly wrote, trimmed: an email answer without its quoted history."""
    text = (text or "").strip()
    if channel == Channel.EMAIL:
        text = split_reply(text)[0].strip() or text
    return text[:MAX_TEXT]


def record_voice(
    *,
    source: str,
    text: str,
    customer: Customer | None,
    conversation: Conversation | None = None,
    message: Message | None = None,
    channel: str = "",
    created_at: datetime | None = None,
) -> Voice | None:
    """Keep one piece of customer text for scoring; None when there is nothing to score."""
    if source not in VoiceSource.values:
        raise ValueError(f"Unknown voice source {source!r}")
    text = voice_text(text, channel=channel)
    if not text:
        return None
    voice = Voice(
        source=source,
        text=text,
        customer=customer,
        conversation=conversation,
        message=message,
        channel=channel,
        created_at=created_at or timezone.now(),
    )
    direct_sql.insert(voice)
    transaction.on_commit(nudge)
    return voice


def record_message(
    message: Message, conversation: Conversation, customer: Customer | None
) -> Voice | None:
    """The voice of a customer's message, for the conversation actions."""
    return record_voice(
        source=VoiceSource.MESSAGE,
        text=message.body_text,
        customer=customer,
        conversation=conversation,
        message=message,
        channel=message.channel,
        created_at=message.created_at,
    )


def conversation_merged(source: Conversation, target: Conversation) -> None:
    """The voices follow their messages into `target`, whose meaning now includes them."""
    from everydesk.listening import similar  # numpy: not for every request that writes

    Voice.objects.filter(conversation=source).update(conversation=target)
    ConversationVector.objects.filter(conversation=source).delete()
    embeddings = Voice.objects.filter(
        conversation=target, source=VoiceSource.MESSAGE, embedding__isnull=False, score_error=""
    ).values_list("embedding", flat=True)
    similar.store_vectors({target.pk: [bytes(blob) for blob in embeddings if blob]})


class _Throttle:
    """When this process last queued the scoring job, so a busy web process queues it at
    most once per interval however many messages arrive.

    A voice committed after a queued job started might be missed by it, so a nudge
    inside the interval queues one more job for the interval's end (once): every voice
    is then seen by a job that starts after its commit, within about one interval.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_run_at = float("-inf")  # when the latest queued job runs (monotonic)

    def due(self, now: float, interval: float) -> float | None:
        """None: a job already queued will see this; 0: queue now; > 0: queue with this delay."""
        with self._lock:
            if self._last_run_at > now:
                return None
            if now - self._last_run_at >= interval:
                self._last_run_at = now
                return 0.0
            self._last_run_at += interval
            return self._last_run_at - now

    def forget(self) -> None:
        with self._lock:
            self._last_run_at = float("-inf")


_throttle = _Throttle()


def nudge() -> None:
    """Queue the scoring job unless a queued one will already see what was just committed."""
    from everydesk.listening.tasks import score_pending

    delay = _throttle.due(time.monotonic(), settings.LISTENING_NUDGE_SECONDS)
    if delay is None:
        return
    if delay == 0:
        score_pending()
    else:
        score_pending.schedule(delay=delay)


def forget() -> None:
    """Tests: start the throttle afresh (each test's jobs run inline)."""
    _throttle.forget()
