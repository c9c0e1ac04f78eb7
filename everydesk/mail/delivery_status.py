"""A delivery's state in the words the agent reads beside the reply."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date

from everydesk.mail.models import Delivery, DeliveryState


@dataclass(frozen=True)
class Status:
    text: str  # "Sent 10:42", "Failed: 550 5.1.1 user unknown (after 1 attempt)", ...
    detail: str  # for a tooltip: the address, and the server's last answer
    problem: bool  # the customer did not, or not yet, get it


def status(delivery: Delivery, *, now: datetime | None = None) -> Status:
    now = now or timezone.now()
    detail = f"To {delivery.to}"
    if delivery.last_error:
        detail += f". The mail server said: {delivery.last_error}"
    if delivery.state == DeliveryState.SENT and delivery.sent_at:
        return Status(f"Sent {clock(delivery.sent_at, now)}", detail, problem=False)
    if delivery.state == DeliveryState.FAILED:
        tries = f"after {delivery.attempts} attempt{'' if delivery.attempts == 1 else 's'}"
        return Status(f"Failed: {delivery.last_error} ({tries})", detail, problem=True)
    if delivery.state == DeliveryState.BOUNCED:
        return Status(f"Bounced: {delivery.last_error}", detail, problem=True)
    if delivery.last_error and delivery.next_attempt_at:
        number, limit = delivery.attempts + 1, settings.EMAIL_SEND_ATTEMPTS
        at = clock(delivery.next_attempt_at, now)
        return Status(f"Retrying (attempt {number} of {limit}) at {at}", detail, problem=True)
    return Status("Queued", detail, problem=False)


def clock(moment: datetime, now: datetime) -> str:
    """10:42 today; 3 Mar 10:42 on any other day (local time)."""
    local = timezone.localtime(moment)
    same_day = local.date() == timezone.localtime(now).date()
    return format_date(local, "H:i" if same_day else "j M H:i")
