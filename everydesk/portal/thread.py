"""What a customer sees of a conversation: public messages and a few plain-words events.

Internal notes never appear (access.visible_messages leaves them out), and
of the timeline only events that concern the customer are shown; who was
assigned, tags and the like are the staff's business.
"""

from dataclasses import dataclass
from datetime import datetime

from everydesk.accounts.models import User
from everydesk.conversations import access
from everydesk.conversations.models import Conversation, Event, EventType, Message, Status

# Status changes worth telling the customer about, in their words.
_STATUS_NEWS = {
    Status.SOLVED: "We marked this as solved. If anything is still not right, just reply.",
    Status.CLOSED: "This conversation was closed.",
}


@dataclass
class Entry:
    at: datetime
    message: Message | None = None
    news: str = ""


def _news(event: Event) -> str:
    if event.type == EventType.MERGED_FROM:
        subject = event.data.get("subject", "")
        return f"Your earlier conversation “{subject}” was joined with this one."
    return _STATUS_NEWS.get(event.data.get("new", ""), "")


def public_thread(user: User, conversation: Conversation) -> list[Entry]:
    messages = (
        access.visible_messages(user, conversation)
        .select_related("author_user")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    events = conversation.events.filter(
        type__in=[EventType.STATUS_CHANGED, EventType.MERGED_FROM]
    ).order_by("created_at", "id")
    entries = [Entry(at=m.created_at, message=m) for m in messages]
    entries += [Entry(at=e.created_at, news=news) for e in events if (news := _news(e))]
    return sorted(entries, key=lambda entry: entry.at)
