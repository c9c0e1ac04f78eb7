"""How conversations reach the people on shift: they pull, one at a time.

Pull rather than push: people on shift are part-timers who step away, and a
conversation pushed to someone who is not looking waits unseen. "Take next" claims
the best suitable conversation with a conditional update (`... WHERE assignee IS
NULL`), so when two people click at once the database gives the row to one of them
and the other moves on to the next candidate. Nobody off shift can take anything.

When a shift ends, what its holder took and never answered goes back to the pool
(assignee cleared, team kept) for the next person; what they answered stays theirs,
since the customer now has a name to talk to. Each take is recorded (ShiftTake), so
coverage can count conversations served per shift.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.conversations import events
from everydesk.conversations.models import Conversation, Message
from everydesk.frontline import shift_inbox
from everydesk.frontline.models import Shift, ShiftTake
from everydesk.lib.errors import ActionError

# Candidates tried per click; each lost race costs one cheap update.
CANDIDATES = 10


def _shift_of(user: User) -> Shift:
    if not shift_inbox.may_use(user):
        raise ActionError("The shift inbox is for people on front-line shifts.", code="forbidden")
    shift = shift_inbox.current_shift(user)
    if shift is None:
        raise ActionError("You are not on shift now.", code="conflict")
    return shift


def _check_room(user: User, shift: Shift) -> None:
    holding = ShiftTake.objects.filter(
        shift=shift, user=user, answered_at__isnull=True, returned_at__isnull=True
    ).count()
    if holding >= settings.SHIFT_MAX_OPEN_TAKES:
        raise ActionError(
            f"You hold {holding} conversations you have not answered yet; "
            "answer one before taking another.",
            code="conflict",
        )


def _claim(user: User, shift: Shift, conversation_id: int) -> Conversation | None:
    """Assign it to `user` if it is still unassigned and calm; None if someone was faster."""
    now = timezone.now()
    with transaction.atomic():
        won = Conversation.objects.filter(shift_inbox.claimable_q(), pk=conversation_id).update(
            assignee=user, updated_at=now
        )
        if not won:
            return None
        conversation = Conversation.objects.select_related("customer").get(pk=conversation_id)
        ShiftTake.objects.create(shift=shift, user=user, conversation=conversation, taken_at=now)
        events.shift_taken(conversation, user, shift=shift.pk)
    return conversation


def take_next(*, user: User) -> Conversation | None:
    """The best suitable conversation, now assigned to `user`; None when the pool is empty."""
    shift = _shift_of(user)
    _check_room(user, shift)
    for conversation_id in shift_inbox.candidates(CANDIDATES):
        if claimed := _claim(user, shift, conversation_id):
            return claimed
    return None


def take(*, user: User, conversation_id: int) -> Conversation:
    """One conversation picked from the shift inbox's list."""
    shift = _shift_of(user)
    _check_room(user, shift)
    if not shift_inbox.pool().filter(pk=conversation_id).exists():
        raise ActionError("That conversation is no longer in the shift inbox.", code="conflict")
    claimed = _claim(user, shift, conversation_id)
    if claimed is None:
        raise ActionError("Someone else took that conversation a moment ago.", code="conflict")
    return claimed


def on_replied(conversation: Conversation, message: Message) -> None:
    """Called from lifecycle.replied: the holder of a shift take answered it.

    Agents are skipped without a query (they take no shifts from this inbox), so the
    main reply path pays nothing; for anyone else it is one indexed update.
    """
    author = message.author_user
    if author is None or author.role == Role.AGENT or conversation.assignee_id != author.pk:
        return
    ShiftTake.objects.filter(
        conversation_id=conversation.pk, user_id=author.pk, answered_at__isnull=True
    ).update(answered_at=message.created_at)


def return_unanswered(now: datetime | None = None) -> int:
    """Give back what ended shifts left unanswered; safe to run twice. Returns the count."""
    now = now or timezone.now()
    due = ShiftTake.objects.filter(
        answered_at__isnull=True, returned_at__isnull=True, shift__ends_at__lte=now
    ).select_related("user", "conversation")
    returned = 0
    for take in due:
        returned += _return(take)
    return returned


@transaction.atomic
def _return(take: ShiftTake) -> int:
    now = timezone.now()
    # Only if it is still theirs: an agent may have reassigned it meanwhile.
    back = Conversation.objects.filter(pk=take.conversation_id, assignee_id=take.user_id).update(
        assignee=None, updated_at=now
    )
    take.returned_at = now
    take.save(update_fields=["returned_at"])
    if back:
        events.shift_returned(take.conversation, take.user, shift=take.shift_id)
    return back


def served(shift_ids: list[int]) -> dict[int, int]:
    """Conversations answered per shift, for coverage ("served")."""
    rows = (
        ShiftTake.objects.filter(shift_id__in=shift_ids, answered_at__isnull=False)
        .values("shift_id")
        .annotate(n=Count("id"))
    )
    return {row["shift_id"]: row["n"] for row in rows}
