"""Helpers shared by the outbound tests: customer emails on record, and due huey jobs."""

import datetime as dt
import secrets

from django.conf import settings
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.mail.models import InboundEmail, InboundState, Mailbox, Outcome, Source


def customer_email(
    conversation: Conversation,
    header_id: str,
    *,
    mailbox: Mailbox | None = None,
    minutes_ago: int = 0,
) -> InboundEmail:
    """An email of the customer's, on record for the conversation as ingestion leaves it."""
    return InboundEmail.objects.create(
        key=f"test:{secrets.token_hex(8)}",
        header_id=header_id,
        mailbox=mailbox,
        source=Source.PIPE,
        raw=b"",
        size=0,
        received_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        state=InboundState.DONE,
        outcome=Outcome.ADDED_MESSAGE,
        sender=conversation.customer.email,
        conversation=conversation,
    )


def run_jobs_due_at(moment: dt.datetime) -> int:
    """Run the scheduled huey jobs whose time has come at `moment`; how many ran."""
    huey = settings.HUEY
    timestamp = moment.astimezone(dt.UTC).replace(tzinfo=None)  # huey keeps naive UTC
    due = huey.read_schedule(timestamp)
    for task in due:
        huey.execute(task, timestamp=timestamp)
    return len(due)
