"""Sending one Delivery: attempts, pauses between them, and the state the agent sees.

Each attempt has a number. An attempt first claims its number with one conditional
UPDATE (attempts n-1 -> n, still queued), so a job that runs twice, or a second
worker, finds the number taken and does nothing.

At least once, on purpose: if the worker dies after the server took the message but
before "sent" is saved, the delivery stays queued and `resume_stalled` sends it again
later. The customer may then get the mail twice, with the same Message-ID, which many
mail programs fold into one. The alternative, at most once, would let an agent's
answer vanish silently, which is worse for a help desk.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from everydesk.conversations import events
from everydesk.mail import delivery_mail, sending
from everydesk.mail.models import Delivery, DeliveryState

log = logging.getLogger(__name__)

# Pause after attempt 1, 2, ...; the last one repeats. With the default six attempts
# a message is tried for about five and a half hours before it shows as failed.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# A queued delivery whose attempt was due this long ago lost its job (worker killed,
# queue flushed): the sweep queues it again. Longer than any one SMTP conversation.
STALLED_AFTER = timedelta(minutes=15)
SWEEP_BATCH = 500
INTERRUPTED = (
    "The last attempt was interrupted before the mail server's answer was saved; "
    "the customer may or may not have received it."
)


def attempt(delivery_id: int, number: int, *, now: datetime | None = None) -> datetime | None:
    """Make attempt `number`. Returns when the next attempt is due, or None when done."""
    if not _claim(delivery_id, number):
        return None
    delivery = Delivery.objects.select_related(
        "conversation__customer", "message__author_user", "message__author_customer"
    ).get(pk=delivery_id)
    try:
        email = delivery_mail.build(delivery)
    except DatabaseError:
        raise  # passing trouble: the delivery stays queued and the sweep tries again
    except Exception as error:  # a missing file or a bug: retrying cannot help
        log.exception("delivery %s could not be built", delivery_id)
        _give_up(delivery, number, f"The email could not be put together: {error}")
        return None
    failure = sending.send(email)
    now = now or timezone.now()
    if failure is None:
        _mark_sent(delivery, number, now)
        return None
    if failure.permanent or number >= settings.EMAIL_SEND_ATTEMPTS:
        _give_up(delivery, number, failure.answer)
        return None
    return _retry_later(delivery, number, failure.answer, now)


def backoff(number: int) -> timedelta:
    """The pause after attempt `number` (1-based) failed for a reason that may pass."""
    return timedelta(minutes=BACKOFF_MINUTES[min(number, len(BACKOFF_MINUTES)) - 1])


def resume_stalled(*, now: datetime | None = None) -> list[tuple[int, int]]:
    """Deliveries whose job was lost, as (id, next attempt number) to queue again.

    Those that already used every attempt are marked failed instead.
    """
    cutoff = (now or timezone.now()) - STALLED_AFTER
    stalled = (
        Delivery.objects.filter(state=DeliveryState.QUEUED)
        .filter(
            Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
        )
        .select_related("conversation")
        .order_by("pk")[:SWEEP_BATCH]
    )
    resume = []
    for delivery in stalled:
        if delivery.attempts >= settings.EMAIL_SEND_ATTEMPTS:
            _give_up(delivery, delivery.attempts, INTERRUPTED)
        else:
            resume.append((delivery.pk, delivery.attempts + 1))
    return resume


def _claim(delivery_id: int, number: int) -> bool:
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, state=DeliveryState.QUEUED, attempts=number - 1
        ).update(attempts=number)
    )


def _still_mine(delivery: Delivery, number: int) -> QuerySet[Delivery]:
    # Conditional writes: if another attempt took over meanwhile, its result stands.
    return Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.QUEUED, attempts=number)


def _mark_sent(delivery: Delivery, number: int, now: datetime) -> None:
    if not _still_mine(delivery, number).update(
        state=DeliveryState.SENT, sent_at=now, last_error="", next_attempt_at=None
    ):
        log.warning("delivery %s was sent but another attempt had taken over", delivery.pk)


def _retry_later(delivery: Delivery, number: int, answer: str, now: datetime) -> datetime | None:
    due = now + backoff(number)
    if not _still_mine(delivery, number).update(last_error=answer[:2000], next_attempt_at=due):
        return None
    log.info("delivery %s attempt %s failed, next at %s: %s", delivery.pk, number, due, answer)
    return due


def _give_up(delivery: Delivery, number: int, answer: str) -> None:
    with transaction.atomic():
        if not _still_mine(delivery, number).update(
            state=DeliveryState.FAILED, last_error=answer[:2000], next_attempt_at=None
        ):
            return
        delivery.state, delivery.last_error, delivery.attempts = (
            DeliveryState.FAILED,
            answer[:2000],
            number,
        )
        events.delivery_failed(delivery.conversation, delivery)
    log.warning("delivery %s failed on attempt %s: %s", delivery.pk, number, answer)
