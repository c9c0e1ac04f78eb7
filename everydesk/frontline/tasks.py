"""Front-line jobs."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from everydesk.frontline import routing


@db_periodic_task(crontab(minute="*"))
def return_unanswered_takes() -> None:
    """Every minute: what ended shifts left unanswered goes back to the pool (idempotent)."""
    routing.return_unanswered()
