import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

from everydesk.mail.compose import compose
from everydesk.mail.sending import send
from everydesk.notifications.models import Notification

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=60)
def email_notifications(ids: list[int]) -> None:
    """Email staff what their bell shows. A notification is worth one try per retry;
    it is never lost, because the bell keeps it."""
    for note in Notification.objects.filter(pk__in=ids).select_related("user"):
        message = compose(
            "notification",
            to=note.user.email,
            context={"note": note, "link": settings.BASE_URL + note.url},
        )
        failure = send(message)
        if failure:
            log.warning("Notification %s not emailed: %s", note.pk, failure.answer)
