"""The one way any part of everydesk tells other systems that something happened, and
what an admin does to endpoints and deliveries."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.lib.errors import ActionError
from everydesk.webhooks import targets
from everydesk.webhooks.models import Delivery, DeliveryStatus, Endpoint, new_secret


def queue_event(*, event: str, payload: dict[str, Any], idempotency_key: str) -> list[Delivery]:
    """Record one delivery per endpoint that listens for `event` and send them once the
    caller's transaction commits. Calling it again with the same key records nothing new,
    so a retried caller never sends twice."""
    now = timezone.now()
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(is_active=True)
        if not endpoint.events or event in endpoint.events
    ]
    if not endpoints:
        return []
    Delivery.objects.bulk_create(
        [
            Delivery(
                endpoint=endpoint,
                event=event,
                payload=payload,
                idempotency_key=idempotency_key,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    from everydesk.webhooks import tasks  # tasks import sending, which imports models only

    transaction.on_commit(lambda: tasks.send_event(idempotency_key))
    # Read back: bulk_create with ignore_conflicts gives rows without ids.
    return list(
        Delivery.objects.filter(idempotency_key=idempotency_key, endpoint__in=endpoints).order_by(
            "id"
        )
    )


def create_endpoint(*, name: str, url: str, events: list[str] | None = None) -> Endpoint:
    check_url(url)
    return Endpoint.objects.create(name=name, url=url, events=sorted(set(events or [])))


def check_url(url: str) -> None:
    try:
        targets.check_url(url)
    except targets.BlockedTarget as error:
        raise ActionError(str(error), field="url") from None


@transaction.atomic
def rotate_secret(*, endpoint: Endpoint) -> Endpoint:
    """A new secret signs from now on; the old one signs too for the grace period, so the
    receiver can switch over without refusing deliveries."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + timedelta(
        hours=settings.WEBHOOKS_SECRET_GRACE_HOURS
    )
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


@transaction.atomic
def resend(*, delivery: Delivery, by: User) -> Delivery:
    """Send a delivery again, with a fresh round of retries; the same idempotency key lets
    the receiver ignore it if it had in fact handled it."""
    if not delivery.endpoint.is_active:
        raise ActionError("This endpoint is disabled; enable it before resending.")
    now = timezone.now()
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.resent_by, delivery.resent_at = by, now
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "resent_by", "resent_at"])
    from everydesk.webhooks import tasks

    transaction.on_commit(lambda: tasks.send_delivery(delivery.pk))
    return delivery
