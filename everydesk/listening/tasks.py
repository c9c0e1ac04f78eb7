"""Listening jobs: regrouping topics, detecting emerging issues, proactive outreach."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


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
