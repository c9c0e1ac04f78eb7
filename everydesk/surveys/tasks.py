"""Survey jobs: the CSAT after a solve, mailing an invitation, and the daily NPS sample."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.surveys import invitations, sampling


class NotSentYet(Exception):
    """The mail server refused for now; huey tries again later."""


@db_task()
def send_csat(conversation_id: int, solver_id: int | None = None) -> None:
    """Ask about a solved conversation (does nothing if it is not to be asked, or was)."""
    invitations.start_csat(conversation_id=conversation_id, solver_id=solver_id)


@db_task(retries=5, retry_delay=300)
def mail_survey(survey_id: int) -> None:
    failure = invitations.mail(survey_id)
    if failure is not None and not failure.permanent:
        raise NotSentYet(failure.answer)


@db_periodic_task(crontab(hour=str(settings.NPS_HOUR), minute="20"))
def sample_nps() -> None:
    """Once a day: ask a sample of recently active customers how likely they are to
    recommend us (sampling.run_nps)."""
    sampling.run_nps()
