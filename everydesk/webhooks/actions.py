"""The one way any part of everydesk tells other systems that something happened."""

from typing import Any

from django.utils import timezone

from everydesk.webhooks.models import Delivery, Endpoint


def queue_event(*, event: str, payload: dict[str, Any], idempotency_key: str) -> list[Delivery]:
    """Record one delivery per endpoint that listens for `event`. Calling it again with
    the same key records nothing new, so a retried caller never sends twice."""
    now = timezone.now()
    deliveries = [
        Delivery(
            endpoint=endpoint,
            event=event,
            payload=payload,
            idempotency_key=idempotency_key,
            next_attempt_at=now,
        )
        for endpoint in Endpoint.objects.filter(is_active=True)
        if not endpoint.events or event in endpoint.events
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return deliveries
