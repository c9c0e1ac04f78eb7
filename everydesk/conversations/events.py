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


def survey_answered(conversation: Conversation, *, survey: int, kind: str, score: int) -> Event:
    """The customer answered a survey about this conversation (surveys)."""
    return _record(
        conversation, EventType.SURVEY_ANSWERED, None, survey=survey, kind=kind, score=score
    )


def recovery_opened(
    conversation: Conversation, *, survey: int, rated: int | None, owner: User | None
) -> Event:
    """Opened after a low survey answer; `rated` is the conversation the answer was about."""
    return _record(
        conversation,
        EventType.RECOVERY_OPENED,
        None,
        survey=survey,
        rated=rated,
        owner=owner.display_name if owner else None,
    )


def action_taken(
    conversation: Conversation, actor: User, *, action: int, label: str, approved_by: str = ""
) -> Event:
    """A playbook action was done: by its taker within their limits, or on approval."""
    return _record(
        conversation,
        EventType.ACTION_TAKEN,
        actor,
        action=action,
        label=label,
        approved_by=approved_by,
    )


def action_requested(conversation: Conversation, actor: User, *, action: int, label: str) -> Event:
    return _record(conversation, EventType.ACTION_REQUESTED, actor, action=action, label=label)


def action_denied(
    conversation: Conversation, actor: User, *, action: int, label: str, reason: str
) -> Event:
    return _record(
        conversation, EventType.ACTION_DENIED, actor, action=action, label=label, reason=reason
    )


def action_outcome(
    conversation: Conversation, actor: User, *, action: int, label: str, outcome: str, note: str
) -> Event:
    """The company's other system said how the action went (completed or failed)."""
    return _record(
        conversation,
        EventType.ACTION_OUTCOME,
        actor,
        action=action,
        label=label,
        outcome=outcome,
        note=note,
    )


def shift_taken(conversation: Conversation, actor: User, *, shift: int) -> Event:
    """Someone on a front-line shift took it from the shift inbox (frontline/routing.py)."""
    return _record(conversation, EventType.SHIFT_TAKEN, actor, shift=shift)


def shift_returned(conversation: Conversation, holder: User, *, shift: int) -> Event:
    """The shift ended before its holder answered; it went back to the pool."""
    return _record(
        conversation, EventType.SHIFT_RETURNED, None, shift=shift, holder=holder.display_name
    )


def review_requested(conversation: Conversation, actor: User, *, review: int) -> Event:
    return _record(conversation, EventType.REVIEW_REQUESTED, actor, review=review)


def review_approved(conversation: Conversation, actor: User, *, review: int, author: User) -> Event:
    return _record(
        conversation, EventType.REVIEW_APPROVED, actor, review=review, author=author.display_name
    )


def review_changes_requested(
    conversation: Conversation, actor: User, *, review: int, comment: str
) -> Event:
    return _record(
        conversation, EventType.REVIEW_CHANGES_REQUESTED, actor, review=review, comment=comment
    )


# --- follow-ups after a complaint (recovery) ---------------------------------------
# `follow_up` is the FollowUp id; contact and owner are kept as people read them, so
# the timeline still says what happened after a policy or a person is gone.


def follow_up_scheduled(
    conversation: Conversation, *, follow_up: int, contact: str, due_at: str, owner: str | None
) -> Event:
    return _record(
        conversation,
        EventType.FOLLOW_UP_SCHEDULED,
        None,
        follow_up=follow_up,
        contact=contact,
        due_at=due_at,
        owner=owner,
    )


def follow_up_done(
    conversation: Conversation, actor: User, *, follow_up: int, outcome: str, note: str
) -> Event:
    return _record(
        conversation,
        EventType.FOLLOW_UP_DONE,
        actor,
        follow_up=follow_up,
        outcome=outcome,
        note=note,
    )


def follow_up_snoozed(
    conversation: Conversation, actor: User, *, follow_up: int, old: str, new: str
) -> Event:
    return _record(
        conversation, EventType.FOLLOW_UP_SNOOZED, actor, follow_up=follow_up, old=old, new=new
    )


def follow_up_reassigned(
    conversation: Conversation, actor: User, *, follow_up: int, old: str | None, new: str
) -> Event:
    return _record(
        conversation, EventType.FOLLOW_UP_REASSIGNED, actor, follow_up=follow_up, old=old, new=new
    )


def follow_up_cancelled(conversation: Conversation, *, follow_up: int, reason: str) -> Event:
    return _record(
        conversation, EventType.FOLLOW_UP_CANCELLED, None, follow_up=follow_up, reason=reason
    )


def sla_breached(breaches: Sequence[tuple[int, dict[str, object]]]) -> list[Event]:
    """Deadlines that passed, found together by the SLA check (sla/evaluation.py): one
    insert for the batch. Data per conversation: which target, when due, how many told."""
    return Event.objects.bulk_create(
        Event(conversation_id=conversation_id, type=EventType.SLA_BREACHED, actor=None, data=data)
        for conversation_id, data in breaches
    )
