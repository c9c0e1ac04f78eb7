"""The scoring job: nudged after customer text is committed, and swept every minute."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.listening import scorer


@db_task()
def score_pending() -> None:
    """Score everything unscored, in batches (listening/scorer.py). Safe to run twice."""
    scorer.score_pending()


@db_periodic_task(crontab(minute="*"))
def sweep_unscored() -> None:
    """Score what a lost job left (a crash, a worker down when the nudge was queued)."""
    scorer.score_pending()
