from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def refresh_rollups() -> None:
    """Fold what changed in the last minute into the dashboard's rollups."""
    from everydesk.insights import rollups

    rollups.refresh()


@db_periodic_task(crontab(minute="5"))
def send_weekly_digest() -> None:
    """Send this week's digest once its configured weekday and hour have come."""
    from everydesk.insights import digest

    digest.send_due()
