"""One small writer per timeline event type. Actions call these; nothing else writes events."""

from collections.abc import Sequence

from everydesk.accounts.models import Team, User
from everydesk.conversations.models import Conversation, Event, EventType, Macro, Message
from everydesk.lib import direct_sql
from everydesk.mail.models import Delivery


def _record(
    conversation: Conversation, type_: EventType, actor: User | None, **data: object
) -> Event:
    # Every message writes one: SQL built once (lib/direct_sql), not compiled per event.
    event = Event(conversation=conversation, type=type_, actor=actor, data=data)
    return direct_sql.insert(event)


def opened(conversation: Conversation, actor: User | None) -> Event:
    return _record(conversation, EventType.OPENED, actor, channel=conversation.channel)


def customer_message(conversation: Conversation, message: Message) -> Event:
    return _record(conversation, EventType.CUSTOMER_MESSAGE, None, message=message.pk)


def replied(conversation: Conversation, actor: User, message: Message) -> Event:
    return _record(conversation, EventType.REPLIED, actor, message=message.pk)


def note_added(conversation: Conversation, actor: User, message: Message) -> Event:
    return _record(conversation, EventType.NOTE_ADDED, actor, message=message.pk)


def status_changed(conversation: Conversation, actor: User | None, old: str, new: str) -> Event:
    return _record(conversation, EventType.STATUS_CHANGED, actor, old=old, new=new)


def priority_changed(conversation: Conversation, actor: User, old: int, new: int) -> Event:
    return _record(conversation, EventType.PRIORITY_CHANGED, actor, old=old, new=new)


def kind_changed(conversation: Conversation, actor: User, old: str, new: str) -> Event:
    return _record(conversation, EventType.KIND_CHANGED, actor, old=old, new=new)


def assigned(conversation: Conversation, actor: User, old: User | None, new: User | None) -> Event:
    return _record(
        conversation,
        EventType.ASSIGNED,
        actor,
        old=old.display_name if old else None,
        new=new.display_name if new else None,
    )


def team_changed(
    conversation: Conversation, actor: User, old: Team | None, new: Team | None
) -> Event:
    return _record(
        conversation,
        EventType.TEAM_CHANGED,
        actor,
        old=old.name if old else None,
        new=new.name if new else None,
    )


def tags_changed(
    conversation: Conversation, actor: User, added: list[str], removed: list[str]
) -> Event:
    return _record(conversation, EventType.TAGS_CHANGED, actor, added=added, removed=removed)


def macro_applied(conversation: Conversation, actor: User, macro: Macro) -> Event:
    return _record(conversation, EventType.MACRO_APPLIED, actor, macro=macro.name)


def merged_into(conversation: Conversation, actor: User, target: Conversation) -> Event:
    return _record(conversation, EventType.MERGED_INTO, actor, target=target.pk)


def merged_from(conversation: Conversation, actor: User, source: Conversation) -> Event:
    return _record(
        conversation, EventType.MERGED_FROM, actor, source=source.pk, subject=source.subject
    )


def followed_up(old: Conversation, new: Conversation) -> Event:
    return _record(old, EventType.FOLLOWED_UP, None, follow_up=new.pk)


def auto_reply(conversation: Conversation, subject: str, reason: str) -> Event:
    return _record(conversation, EventType.AUTO_REPLY, None, subject=subject, reason=reason)


def delivery_failed(conversation: Conversation, delivery: Delivery) -> Event:
    return _record(
        conversation,
        EventType.DELIVERY_FAILED,
        None,
        delivery=delivery.pk,
        template=delivery.template,
        to=delivery.to,
        state=delivery.state,
        error=delivery.last_error,
        attempts=delivery.attempts,
    )


def kind_scored(conversation: Conversation, old: str, new: str, confidence: float) -> Event:
    """Listening read the customer's words and set the kind nobody had chosen."""
    return _record(
        conversation, EventType.KIND_SCORED, None, old=old, new=new, confidence=confidence
    )


def priority_raised(conversation: Conversation, old: int, new: int, reasons: list[str]) -> Event:
    """Listening raised the priority; `reasons` are the urgency signals, as people read them."""
    return _record(conversation, EventType.PRIORITY_RAISED, None, old=old, new=new, reasons=reasons)


def proactive(conversation: Conversation, actor: User, *, alert: int, topic: str) -> Event:
    """Staff wrote first, to every customer affected by an emerging issue (listening)."""
    return _record(conversation, EventType.PROACTIVE, actor, alert=alert, topic=topic)


def sla_breached(breaches: Sequence[tuple[int, dict[str, object]]]) -> list[Event]:
    """Deadlines that passed, found together by the SLA check (sla/evaluation.py): one
    insert for the batch. Data per conversation: which target, when due, how many told."""
    return Event.objects.bulk_create(
        Event(conversation_id=conversation_id, type=EventType.SLA_BREACHED, actor=None, data=data)
        for conversation_id, data in breaches
    )
