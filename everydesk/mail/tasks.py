from huey import crontab  # noqa: F401  (periodic mail jobs are declared here as they come)
from huey.contrib.djhuey import db_task

from everydesk.mail.compose import compose


@db_task(retries=5, retry_delay=30)
def send_mail(name: str, to: str, context: dict[str, str]) -> None:
    """Send one templated email; retried with a delay when the mail server refuses."""
    compose(name, to=to, context=context).send()
