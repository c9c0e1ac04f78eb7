"""Every write to a follow-up. The desk pages and the API call these and nothing else.

Keyword-only, one transaction each, the row locked so two people recording the same
call apply in turn, and a line on the conversation's timeline.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.conversations import actions as conversation_actions
from everydesk.conversations import events
from everydesk.conversations.models import Channel, Conversation, Kind, Status
from everydesk.lib.errors import ActionError
from everydesk.recovery.models import Contact, FollowUp, FollowUpStatus, Outcome

MAX_NOTE = 5000


def _lock(follow_up: FollowUp, actor: User) -> FollowUp:
    locked = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("conversation", "customer", "owner")
        .get(pk=follow_up.pk)
    )
    if not (actor.is_agent_or_admin or locked.owner_id == actor.pk):
        raise ActionError("Only its owner, an agent or an admin can work this follow-up.")
    if locked.status != FollowUpStatus.PENDING:
        raise ActionError(
            f"This follow-up is already {locked.get_status_display().lower()}.", code="conflict"
        )
    return locked


def _unhappy(follow_up: FollowUp, actor: User, note: str) -> Conversation | None:
    """Back into the queue: reopen the conversation, or a new one if it was closed."""
    conversation = follow_up.conversation
    if conversation.status == Status.SOLVED and not conversation.merged_into_id:
        conversation_actions.change_status(
            conversation=conversation, actor=actor, status=Status.OPEN
        )
        return None
    if conversation.status in (Status.NEW, Status.OPEN, Status.PENDING):
        return None  # already being worked
    new = conversation_actions.open_conversation(
        customer=follow_up.customer,
        subject=f"Follow-up: {conversation.subject}",
        # What the customer said on the call, as the person who called wrote it down.
        body=note,
        kind=Kind.COMPLAINT,
        channel=Channel.PHONE if follow_up.contact == Contact.CALL else Channel.API,
        team=conversation.team,
        opened_by=actor,
    )
    conversation_actions.assign(conversation=new, actor=actor, assignee=actor)
    return new


@transaction.atomic
def record_outcome(*, follow_up: FollowUp, actor: User, outcome: str, note: str = "") -> FollowUp:
    """The contact happened (or was tried): what came of it, on the timeline."""
    if outcome not in Outcome.values:
        raise ActionError(
            f"Unknown outcome {outcome!r}; use one of {', '.join(Outcome.values)}.",
            field="outcome",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ActionError(f"The note is longer than {MAX_NOTE} characters.", field="note")
    if outcome == Outcome.UNHAPPY and not note:
        raise ActionError("Write down what the customer is unhappy about.", field="note")
    follow_up = _lock(follow_up, actor)
    if outcome == Outcome.UNHAPPY:
        follow_up.new_conversation = _unhappy(follow_up, actor, note)
    follow_up.status, follow_up.outcome, follow_up.note = FollowUpStatus.DONE, outcome, note
    follow_up.done_at, follow_up.done_by = timezone.now(), actor
    follow_up.save(
        update_fields=["status", "outcome", "note", "done_at", "done_by", "new_conversation"]
    )
    events.follow_up_done(
        follow_up.conversation,
        actor,
        follow_up=follow_up.pk,
        outcome=follow_up.get_outcome_display(),
        note=note,
    )
    return follow_up


@transaction.atomic
def snooze(*, follow_up: FollowUp, actor: User, until: datetime) -> FollowUp:
    """Not now: due again at `until` (and notified again then)."""
    if until <= timezone.now():
        raise ActionError("Snooze to a time in the future.", field="until")
    follow_up = _lock(follow_up, actor)
    old = follow_up.due_at
    follow_up.due_at, follow_up.notified_at = until, None
    follow_up.save(update_fields=["due_at", "notified_at"])
    events.follow_up_snoozed(
        follow_up.conversation,
        actor,
        follow_up=follow_up.pk,
        old=old.isoformat(),
        new=until.isoformat(),
    )
    return follow_up


@transaction.atomic
def reassign(*, follow_up: FollowUp, actor: User, owner: User) -> FollowUp:
    """Someone else makes the contact; they are notified when it is (or is already) due."""
    if not owner.is_staff_member:
        raise ActionError("Follow-ups can only be given to staff.", field="owner")
    follow_up = _lock(follow_up, actor)
    old = follow_up.owner
    if old is not None and old.pk == owner.pk:
        return follow_up
    follow_up.owner, follow_up.notified_at = owner, None
    follow_up.save(update_fields=["owner", "notified_at"])
    events.follow_up_reassigned(
        follow_up.conversation,
        actor,
        follow_up=follow_up.pk,
        old=old.display_name if old else None,
        new=owner.display_name,
    )
    return follow_up
