"""What recovery does when a conversation moves (called from conversations/lifecycle.py).

Kept to one test and one on_commit: status changes are on the API and email hot
paths. Everything else (matching policies, writing rows) runs in a job after commit.
"""

from django.db import transaction

from everydesk.accounts.models import User
from everydesk.conversations.models import Conversation, Kind, Status


def status_changed(conversation: Conversation, actor: User | None, new: str) -> None:
    """A complaint solved schedules its follow-ups; a complaint merged away cancels them."""
    if conversation.kind != Kind.COMPLAINT:
        return
    if new == Status.SOLVED or conversation.merged_into_id:
        from everydesk.recovery import tasks  # tasks import the actions, which import us

        pk, solver = conversation.pk, actor.pk if actor else None
        transaction.on_commit(lambda: tasks.complaint_moved(pk, solver))
