"""Recovery jobs: scheduling after a complaint is solved, and telling owners what fell due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.recovery import due, scheduling


@db_task(retries=3, retry_delay=30)
def complaint_moved(conversation_id: int, solver_id: int | None) -> None:
    scheduling.complaint_moved(conversation_id, solver_id)


@db_periodic_task(crontab(minute="*/5"))
def notify_due() -> None:
    due.notify_due()
