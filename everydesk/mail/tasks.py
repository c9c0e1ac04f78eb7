from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.mail import delivery
from everydesk.mail.compose import compose


@db_task(retries=5, retry_delay=30)
def send_mail(name: str, to: str, context: dict[str, str]) -> None:
    """Send one templated email; retried with a delay when the mail server refuses."""
    compose(name, to=to, context=context).send()


@db_task()
def deliver(delivery_id: int, attempt: int = 1) -> None:
    """Attempt `attempt` at one Delivery; a job for an attempt already made does nothing."""
    retry_at = delivery.attempt(delivery_id, attempt)
    if retry_at is not None:
        deliver.schedule(args=(delivery_id, attempt + 1), eta=retry_at)


@db_periodic_task(crontab(minute="*/5"))
def resume_stalled_deliveries() -> None:
    """Queue again the deliveries whose job was lost (see delivery.resume_stalled)."""
    for delivery_id, attempt in delivery.resume_stalled():
        deliver(delivery_id, attempt)


@db_task()
def process_inbound(inbound_id: int) -> None:
    """Turn one stored raw message into a conversation or a message (idempotent)."""
    from everydesk.mail import inbound

    inbound.process_stored(inbound_id)


@db_periodic_task(crontab(minute="*"))
def finish_pending_inbound() -> None:
    """Finish mail a crash left stored but unprocessed (older than a minute, so a
    message whose own job is about to run is left to it)."""
    from datetime import timedelta

    from everydesk.mail import inbound

    inbound.process_pending(older_than=timedelta(minutes=1))
