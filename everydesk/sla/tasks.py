import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from everydesk.sla import evaluation

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("sla-evaluation")
def evaluate_slas() -> None:
    """Every minute: warn, escalate, refresh priority scores (docs/sla.md). The lock only
    saves work: two checks at once would still mark and notify each deadline once."""
    outcome = evaluation.run(timezone.now())
    if outcome.breached or outcome.warned:
        log.info("SLA check: %s", outcome)
