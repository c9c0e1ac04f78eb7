"""The conversation thread as the desk shows it: messages and events in time order.

Events that only say "a message was written" are left out, since the message
itself is in the thread; every other event becomes a one-line sentence.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.conversations import access
from everydesk.conversations.models import (
    Channel,
    Conversation,
    Event,
    EventType,
    Kind,
    Message,
    Priority,
    Status,
)
from everydesk.mail.models import InboundEmail

# The message shows these by itself; a line saying so would be noise.
_SHOWN_AS_MESSAGES = {EventType.CUSTOMER_MESSAGE, EventType.REPLIED, EventType.NOTE_ADDED}


@dataclass(frozen=True)
class Line:
    """What an event says, and the conversation it points to, if any."""

    text: str
    link_id: int | None = None


@dataclass(frozen=True)
class Entry:
    at: datetime
    message: Message | None = None
    event: Event | None = None
    line: Line | None = None
    original_email: int | None = None  # the stored email a message came from, to download


def thread(user: User, conversation: Conversation) -> list[Entry]:
    messages = (
        access.visible_messages(user, conversation)
        # voice: a customer message's listening scores, shown with it (staff pages only)
        .select_related("author_user", "author_customer", "voice__topic")
        .prefetch_related("attachments", "deliveries")
    )
    events = conversation.events.exclude(type__in=_SHOWN_AS_MESSAGES).select_related("actor")
    originals = dict(
        InboundEmail.objects.filter(message__conversation=conversation).values_list(
            "message_id", "pk"
        )
    )
    entries = [
        Entry(at=m.created_at, message=m, original_email=originals.get(m.pk)) for m in messages
    ]
    entries += [Entry(at=_when(conversation, e), event=e, line=describe(e)) for e in events]
    entries.sort(key=_order)
    return entries


def _order(entry: Entry) -> tuple[datetime, bool, int]:
    # On a tie the message comes first: a reply is written, then its status applies.
    row = entry.message or entry.event
    return (entry.at, entry.event is not None, row.pk if row else 0)


def _when(conversation: Conversation, event: Event) -> datetime:
    # "Opened" is written just after the first message; it reads better above it.
    if event.type == EventType.OPENED:
        return min(event.created_at, conversation.created_at)
    return event.created_at


def _label(choices: type, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _change(actor: str, what: str, old: str | None, new: str | None, none: str) -> str:
    return f"{actor} changed {what} from {old or none} to {new or none}"


def _opened(actor: str, event: Event) -> Line:
    via = _label(Channel, event.data.get("channel", ""))
    who = actor if event.actor_id else "The customer"
    return Line(f"{who} opened this conversation via {via.lower()}")


def _status(actor: str, event: Event) -> Line:
    old, new = (_label(Status, event.data.get(k)) for k in ("old", "new"))
    if not event.actor_id:
        return Line(f"Status changed from {old} to {new}")
    return Line(_change(actor, "status", old, new, ""))


def _priority(actor: str, event: Event) -> Line:
    old, new = (_label(Priority, event.data.get(k)) for k in ("old", "new"))
    return Line(_change(actor, "priority", old, new, ""))


def _kind(actor: str, event: Event) -> Line:
    old, new = (_label(Kind, event.data.get(k)) for k in ("old", "new"))
    return Line(_change(actor, "kind", old, new, ""))


def _assigned(actor: str, event: Event) -> Line:
    old, new = event.data.get("old"), event.data.get("new")
    if new and new == actor:
        return Line(f"{actor} took this conversation" + (f" from {old}" if old else ""))
    if new and not old:
        return Line(f"{actor} assigned this to {new}")
    if old and not new:
        return Line(f"{actor} unassigned {old}")
    return Line(_change(actor, "assignee", old, new, "nobody"))


def _team(actor: str, event: Event) -> Line:
    return Line(_change(actor, "team", event.data.get("old"), event.data.get("new"), "no team"))


def _tags(actor: str, event: Event) -> Line:
    parts = []
    if added := event.data.get("added"):
        parts.append(f"added {_plural('tag', added)} {', '.join(added)}")
    if removed := event.data.get("removed"):
        parts.append(f"removed {_plural('tag', removed)} {', '.join(removed)}")
    return Line(f"{actor} {' and '.join(parts) or 'changed tags'}")


def _plural(word: str, items: list[str]) -> str:
    return word if len(items) == 1 else f"{word}s"


def _macro(actor: str, event: Event) -> Line:
    return Line(f"{actor} applied the macro “{event.data.get('macro', '?')}”")


def _merged_into(actor: str, event: Event) -> Line:
    return Line(f"{actor} merged this conversation into", link_id=event.data.get("target"))


def _merged_from(actor: str, event: Event) -> Line:
    subject = event.data.get("subject", "")
    return Line(f"{actor} merged in “{subject}” from", link_id=event.data.get("source"))


def _delivery_failed(actor: str, event: Event) -> Line:
    what = "The acknowledgement" if event.data.get("template") == "received" else "Mail"
    to, error = event.data.get("to", "the customer"), event.data.get("error", "")
    if event.data.get("state") == "bounced":
        return Line(f"{what} to {to} bounced: {error}")
    attempts = event.data.get("attempts", 1)
    after = f"after {attempts} attempt{'' if attempts == 1 else 's'}"
    return Line(f"{what} to {to} could not be delivered: {error} ({after})")


def _followed_up(actor: str, event: Event) -> Line:
    return Line(
        "The customer wrote again after this was closed; that continues in",
        link_id=event.data.get("follow_up"),
    )


def _auto_reply(actor: str, event: Event) -> Line:
    subject = event.data.get("subject", "")
    return Line(f"An automatic reply arrived ({event.data.get('reason', 'auto')}): “{subject}”")


def _kind_scored(actor: str, event: Event) -> Line:
    old, new = (_label(Kind, event.data.get(k)) for k in ("old", "new"))
    return Line(f"Kind set by listening from {old} to {new}")


def _priority_raised(actor: str, event: Event) -> Line:
    new = _label(Priority, event.data.get("new")).lower()
    reasons = ", ".join(event.data.get("reasons") or [])
    return Line(f"Raised to {new}: {reasons}" if reasons else f"Raised to {new} by listening")


def _proactive(actor: str, event: Event) -> Line:
    topic = event.data.get("topic", "")
    return Line(f"{actor} wrote first, to every customer affected by the emerging issue “{topic}”")


def _survey_answered(actor: str, event: Event) -> Line:
    out_of = 5 if event.data.get("kind") == "csat" else 10
    return Line(f"The customer rated the service {event.data.get('score')}/{out_of}")


def _recovery_opened(actor: str, event: Event) -> Line:
    owner = event.data.get("owner") or "nobody yet"
    text = f"Opened to close the loop on a low survey answer, owned by {owner}"
    if event.data.get("rated"):
        return Line(f"{text}; the answer was about", link_id=event.data["rated"])
    return Line(text)


def _action_taken(actor: str, event: Event) -> Line:
    approved = event.data.get("approved_by")
    return Line(
        f"{actor} took {event.data.get('label', 'a playbook action')}"
        + (f", approved by {approved}" if approved else "")
    )


def _action_requested(actor: str, event: Event) -> Line:
    return Line(f"{actor} asked for approval of {event.data.get('label', 'a playbook action')}")


def _action_denied(actor: str, event: Event) -> Line:
    label, reason = event.data.get("label", "a playbook action"), event.data.get("reason", "")
    return Line(f"{actor} denied {label}: {reason}")


def _action_outcome(actor: str, event: Event) -> Line:
    note = event.data.get("note")
    outcome = "failed" if event.data.get("outcome") == "failed" else "was completed"
    return Line(
        f"{event.data.get('label', 'A playbook action')} {outcome}" + (f" ({note})" if note else "")
    )


def _shift_taken(actor: str, event: Event) -> Line:
    return Line(f"{actor} took this on a front-line shift")


def _shift_returned(actor: str, event: Event) -> Line:
    holder = event.data.get("holder", "someone")
    return Line(f"Back to the shift pool: {holder}'s shift ended before an answer")


def _review_requested(actor: str, event: Event) -> Line:
    return Line(f"{actor} asked a mentor to review a reply (not sent yet)")


def _review_approved(actor: str, event: Event) -> Line:
    return Line(f"{actor} approved {event.data.get('author', 'the')}'s reply, which was sent")


def _review_changes(actor: str, event: Event) -> Line:
    return Line(f"{actor} asked for changes to a reply: “{event.data.get('comment', '')}”")


def _follow_up_scheduled(actor: str, event: Event) -> Line:
    due = _moment(event.data.get("due_at"))
    owner = event.data.get("owner") or "nobody yet"
    return Line(f"{event.data.get('contact', 'Follow-up')} scheduled for {due}, owned by {owner}")


def _follow_up_done(actor: str, event: Event) -> Line:
    note = event.data.get("note") or ""
    said = f": “{note}”" if note else ""
    return Line(f"{actor} followed up with the customer ({event.data.get('outcome', '')}){said}")


def _follow_up_snoozed(actor: str, event: Event) -> Line:
    return Line(f"{actor} snoozed a follow-up to {_moment(event.data.get('new'))}")


def _follow_up_reassigned(actor: str, event: Event) -> Line:
    return Line(f"{actor} gave a follow-up to {event.data.get('new')}")


def _follow_up_cancelled(actor: str, event: Event) -> Line:
    return Line(f"A follow-up was cancelled ({event.data.get('reason', '')})")


def _moment(iso: object) -> str:
    """An ISO moment kept in event data, as a person reads it in the desk's time zone."""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}"


_WRITERS: dict[str, Callable[[str, Event], Line]] = {
    EventType.OPENED: _opened,
    EventType.STATUS_CHANGED: _status,
    EventType.PRIORITY_CHANGED: _priority,
    EventType.KIND_CHANGED: _kind,
    EventType.ASSIGNED: _assigned,
    EventType.TEAM_CHANGED: _team,
    EventType.TAGS_CHANGED: _tags,
    EventType.MACRO_APPLIED: _macro,
    EventType.MERGED_INTO: _merged_into,
    EventType.MERGED_FROM: _merged_from,
    EventType.DELIVERY_FAILED: _delivery_failed,
    EventType.FOLLOWED_UP: _followed_up,
    EventType.AUTO_REPLY: _auto_reply,
    EventType.KIND_SCORED: _kind_scored,
    EventType.PRIORITY_RAISED: _priority_raised,
    EventType.PROACTIVE: _proactive,
    EventType.SURVEY_ANSWERED: _survey_answered,
    EventType.RECOVERY_OPENED: _recovery_opened,
    EventType.ACTION_TAKEN: _action_taken,
    EventType.ACTION_REQUESTED: _action_requested,
    EventType.ACTION_DENIED: _action_denied,
    EventType.ACTION_OUTCOME: _action_outcome,
    EventType.SHIFT_TAKEN: _shift_taken,
    EventType.SHIFT_RETURNED: _shift_returned,
    EventType.REVIEW_REQUESTED: _review_requested,
    EventType.REVIEW_APPROVED: _review_approved,
    EventType.REVIEW_CHANGES_REQUESTED: _review_changes,
    EventType.FOLLOW_UP_SCHEDULED: _follow_up_scheduled,
    EventType.FOLLOW_UP_DONE: _follow_up_done,
    EventType.FOLLOW_UP_SNOOZED: _follow_up_snoozed,
    EventType.FOLLOW_UP_REASSIGNED: _follow_up_reassigned,
    EventType.FOLLOW_UP_CANCELLED: _follow_up_cancelled,
}


def describe(event: Event) -> Line:
    """One readable sentence; event types added later fall back to their label."""
    actor = event.actor.display_name if event.actor else "everydesk"
    writer = _WRITERS.get(event.type)
    if writer is None:
        return Line(f"{actor}: {_label(EventType, event.type).lower()}")
    return writer(actor, event)
