"""Webhook jobs: the first attempt right after the event's transaction commits, and a
sweep every minute for retries that came due and anything a crash left pending."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.webhooks import sending
from everydesk.webhooks.models import Delivery


@db_task()
def send_event(idempotency_key: str) -> None:
    """Send the deliveries one queue_event call recorded. Safe to run twice: what is
    already claimed or sent is not due, so the second run finds nothing."""
    sending.send(sending.claim(Delivery.objects.filter(idempotency_key=idempotency_key)))


@db_task()
def send_delivery(delivery_id: int) -> None:
    """Send one delivery now (an admin's resend)."""
    sending.send(sending.claim(Delivery.objects.filter(pk=delivery_id)))


@db_periodic_task(crontab(minute="*"))
def sweep() -> None:
    sending.send_due()
