"""Listening jobs: scoring customer text (nudged after commit, swept every minute),
regrouping topics, detecting emerging issues, proactive outreach."""

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


@db_periodic_task(crontab(minute="30"))
def regroup_topics() -> None:
    """Hourly: voices that waited find topics; near-duplicate automatic topics merge."""
    from everydesk.listening import regrouping

    regrouping.regroup()


@db_periodic_task(crontab(minute="2"))
def detect_emerging_issues() -> None:
    """Hourly, just after the hour: judge each topic on the hours now complete."""
    from everydesk.listening import alerting

    alerting.run()


@db_task()
def send_alert_outreach(alert_id: int) -> None:
    """Send an alert's proactive message to each affected customer not yet reached."""
    from everydesk.listening import outreach

    outreach.send_all(alert_id)
