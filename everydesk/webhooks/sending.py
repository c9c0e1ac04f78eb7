"""Sending deliveries: claim, POST signed JSON, log the attempt, then deliver, retry
later or give up.

A delivery is claimed by moving its `next_attempt_at` past the sender's own time
limit (a lease) in a conditional UPDATE, so two senders never post it at once, and a
sender that dies mid-send leaves it due again for the sweep. On PostgreSQL the sweep
takes its batch with SELECT ... FOR UPDATE SKIP LOCKED, so concurrent sweeps take
different rows without waiting; on SQLite the claim runs in an IMMEDIATE transaction,
which already lets one writer in at a time.
"""

import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from everydesk.webhooks import signing, targets
from everydesk.webhooks.models import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
)

SNIPPET = 500  # characters of the receiver's answer kept in the log
USER_AGENT = "everydesk-webhooks/1"
SWEEP_BATCH = 50
# 408 Request Timeout and 429 Too Many Requests say "later", not "never".
RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})


@dataclass(frozen=True)
class Answer:
    status_code: int | None = None
    snippet: str = ""
    error: str = ""
    duration_ms: int = 0
    retry_after: int | None = None  # seconds, from a 429/503 Retry-After header
    blocked: bool = False  # the URL may never be used (targets.BlockedTarget)


def body_of(delivery: Delivery) -> bytes:
    """The same bytes on every attempt: only the signed timestamp changes."""
    envelope = {
        "event": delivery.event,
        "delivery_id": delivery.pk,
        "idempotency_key": delivery.idempotency_key,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def headers_for(delivery: Delivery, body: bytes, sent_at: int) -> dict[str, str]:
    keys = delivery.endpoint.signing_secrets()
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Everydesk-Event": delivery.event,
        "X-Everydesk-Delivery": str(delivery.pk),
        "Idempotency-Key": delivery.idempotency_key,
        "X-Everydesk-Attempt": str(delivery.attempts + 1),
        "X-Everydesk-Timestamp": str(sent_at),
        "X-Everydesk-Signature": signing.signature_header(keys, sent_at, body),
    }


def post(delivery: Delivery) -> Answer:
    """One POST; never raises for anything the network or the receiver does."""
    body = body_of(delivery)
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = targets.resolve(delivery.endpoint.url)
        http = targets.connection(target, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
        try:
            http.request("POST", target.path, body, headers_for(delivery, body, int(time.time())))
            response = http.getresponse()
            snippet = response.read(SNIPPET * 4).decode("utf-8", "replace")[:SNIPPET]
            return Answer(
                status_code=response.status,
                snippet=snippet,
                duration_ms=took(),
                retry_after=_seconds(response.getheader("Retry-After")),
            )
        finally:
            http.close()
    except targets.BlockedTarget as error:
        return Answer(error=str(error), duration_ms=took(), blocked=True)
    except TimeoutError:  # socket.timeout is this since Python 3.10
        return Answer(error="Timed out", duration_ms=took())
    except (OSError, ValueError) as error:  # refused, reset, DNS, bad status line, TLS
        return Answer(error=f"{type(error).__name__}: {error}"[:SNIPPET], duration_ms=took())


def _seconds(header: str | None) -> int | None:
    return int(header) if header and header.strip().isdigit() else None


def outcome_of(answer: Answer, delivery: Delivery, number: int) -> str:
    code = answer.status_code
    if code is not None and 200 <= code < 300:
        return AttemptOutcome.DELIVERED
    if answer.blocked or (code is not None and not _retryable(code, delivery)):
        return AttemptOutcome.FAILED
    if number >= settings.WEBHOOKS_MAX_ATTEMPTS:
        return AttemptOutcome.FAILED
    return AttemptOutcome.RETRY


def _retryable(code: int, delivery: Delivery) -> bool:
    if code >= 500 or code in RETRYABLE_CLIENT_ERRORS:
        return True
    # Redirects are not followed (they could lead anywhere); like a 4xx, they need an admin.
    return 400 <= code < 500 and delivery.endpoint.retry_client_errors


def backoff_seconds(number: int, rng: random.Random | None = None) -> float:
    """Wait after attempt `number` failed: doubling from the base, capped, and between half
    and all of that at random, so receivers coming back up are not hit all at once."""
    ceiling = min(
        settings.WEBHOOKS_RETRY_MAX_SECONDS,
        settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** (number - 1),
    )
    return ceiling * (rng or random).uniform(0.5, 1.0)


def record(delivery: Delivery, answer: Answer, started_at: datetime) -> DeliveryAttempt:
    """Log the attempt and move the delivery on; one transaction."""
    number = delivery.attempts + 1
    outcome = outcome_of(answer, delivery, number)
    now = timezone.now()
    delivery.attempts = number
    delivery.last_status_code = answer.status_code
    delivery.last_error = answer.error
    if outcome == AttemptOutcome.DELIVERED:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            now,
            None,
        )
    elif outcome == AttemptOutcome.FAILED:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        wait = max(backoff_seconds(number), min(answer.retry_after or 0, 3600))
        delivery.next_attempt_at = now + timedelta(seconds=wait)
    with transaction.atomic():
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            duration_ms=answer.duration_ms,
            status_code=answer.status_code,
            response_snippet=answer.snippet,
            error=answer.error[:500],
            outcome=outcome,
        )
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return attempt


def due(now: datetime) -> QuerySet[Delivery]:
    # Matches the delivery_due index. A disabled endpoint's deliveries wait for it; a
    # pending delivery with no time set (written by hand, say) is due at once.
    return Delivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        status=DeliveryStatus.PENDING,
        endpoint__is_active=True,
    )


def lease_end(now: datetime) -> datetime:
    """Long enough for any one send (connect, send and read each get the timeout)."""
    return now + timedelta(seconds=3 * settings.WEBHOOKS_TIMEOUT_SECONDS + 60)


def claim(deliveries: QuerySet[Delivery], *, limit: int = SWEEP_BATCH) -> list[int]:
    """Take up to `limit` of the due `deliveries`; returns the ids now ours alone."""
    now = timezone.now()
    with transaction.atomic():
        rows = due(now) & deliveries
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        ids = list(rows.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        # The condition is repeated so a claim that raced another one takes nothing.
        Delivery.objects.filter(
            Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
            pk__in=ids,
            status=DeliveryStatus.PENDING,
        ).update(next_attempt_at=lease_end(now))
    return ids


def send(ids: list[int]) -> int:
    """Send deliveries this process has claimed; returns how many were delivered."""
    delivered = 0
    for delivery in Delivery.objects.filter(pk__in=ids).select_related("endpoint").order_by("id"):
        started_at = timezone.now()
        attempt = record(delivery, post(delivery), started_at)
        delivered += attempt.outcome == AttemptOutcome.DELIVERED
    return delivered


def send_due(*, limit: int | None = None) -> int:
    """The sweep: send everything due (retries, and what a crash left), a batch at a time.
    Returns how many deliveries it tried."""
    tried = 0
    while limit is None or tried < limit:
        room = SWEEP_BATCH if limit is None else min(SWEEP_BATCH, limit - tried)
        batch = claim(Delivery.objects.all(), limit=room)
        if not batch:
            break
        send(batch)
        tried += len(batch)
    return tried
