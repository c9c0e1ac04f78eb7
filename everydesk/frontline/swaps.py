"""Handing a shift to a colleague: an open offer anyone eligible may take, or a
request to one named colleague, who accepts or declines.

Each write is one transaction that locks the shift, so two colleagues taking the
same offer cannot both win. The ShiftSwap row is the audit; both sides hear of
every decision through the bell.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.frontline import availability, rules
from everydesk.frontline.models import Shift, ShiftSwap, SwapStatus
from everydesk.lib.errors import ActionError
from everydesk.notifications.actions import notify

SHIFTS_URL = "/desk/shifts/"


def get_own_shift(user: User, shift_id: int) -> Shift:
    """One of the person's own shifts; anyone else's is a 404."""
    try:
        return Shift.objects.select_related("rule").get(pk=shift_id, user=user)
    except Shift.DoesNotExist:
        raise Http404("No such shift.") from None


def visible_swaps(user: User) -> QuerySet[ShiftSwap]:
    """Open swaps this person may see: their own, asked of them, or offered to all."""
    return ShiftSwap.objects.filter(status=SwapStatus.OPEN).filter(
        Q(offered_by=user) | Q(asked=user) | Q(asked__isnull=True)
    )


def get_swap_for(user: User, swap_id: int) -> ShiftSwap:
    try:
        return visible_swaps(user).select_related("shift", "offered_by", "asked").get(pk=swap_id)
    except ShiftSwap.DoesNotExist:
        raise Http404("No such swap.") from None


def offer_shift(*, user: User, shift: Shift, asked: User | None = None) -> ShiftSwap:
    """Offer one's own future shift to everyone eligible, or ask one colleague."""
    with transaction.atomic():
        shift = _lock(shift)
        if shift.user_id != user.pk:
            raise ActionError("Only the person on a shift can offer it.", code="forbidden")
        _refuse_past(shift)
        if ShiftSwap.objects.filter(shift=shift, status=SwapStatus.OPEN).exists():
            raise ActionError("This shift is already offered.", code="conflict")
        if asked is not None:
            _refuse_ineligible(shift, asked)
        swap = ShiftSwap.objects.create(shift=shift, offered_by=user, asked=asked)
        if asked is not None:
            notify(
                users=[asked],
                kind="shift_swap_asked",
                title=f"{user.display_name} asks you to take their shift on {_when(shift, asked)}",
                url=SHIFTS_URL,
            )
    return swap


def accept_swap(*, user: User, swap: ShiftSwap) -> Shift:
    """Take the shift: it becomes the taker's, and leaves the giver's calendar."""
    with transaction.atomic():
        swap = _lock_swap(swap)
        if swap.asked_id not in (None, user.pk) or swap.offered_by_id == user.pk:
            raise ActionError("This shift was not offered to you.", code="forbidden")
        shift = _lock(swap.shift)
        _refuse_past(shift)
        _refuse_ineligible(shift, user)
        shift.user = user
        shift.save(update_fields=["user"])
        _decide(swap, SwapStatus.ACCEPTED, taken_by=user)
        notify(
            users=[swap.offered_by],
            kind="shift_swap_accepted",
            title=f"{user.display_name} took your shift on {_when(shift, swap.offered_by)}",
            url=SHIFTS_URL,
        )
    return shift


def decline_swap(*, user: User, swap: ShiftSwap) -> None:
    """A named colleague says no; open offers are not declined, only left."""
    with transaction.atomic():
        swap = _lock_swap(swap)
        if swap.asked_id != user.pk:
            raise ActionError("Only the colleague asked can decline.", code="forbidden")
        _decide(swap, SwapStatus.DECLINED)
        notify(
            users=[swap.offered_by],
            kind="shift_swap_declined",
            title=f"{user.display_name} cannot take your shift on "
            f"{_when(swap.shift, swap.offered_by)}",
            url=SHIFTS_URL,
        )


def withdraw_swap(*, user: User, swap: ShiftSwap) -> None:
    with transaction.atomic():
        swap = _lock_swap(swap)
        if swap.offered_by_id != user.pk:
            raise ActionError("Only the person who offered the shift can withdraw it.")
        _decide(swap, SwapStatus.WITHDRAWN)


def takeable(user: User, swaps: Sequence[ShiftSwap]) -> list[ShiftSwap]:
    """The open offers this person could take, checked with three queries in all."""
    offers = [s for s in swaps if s.offered_by_id != user.pk and s.asked_id in (None, user.pk)]
    if not offers:
        return []
    taker = _Taker(
        user,
        min(s.shift.starts_at for s in offers),
        max(s.shift.ends_at for s in offers),
    )
    return [s for s in offers if taker.refusal(s.shift) is None]


class _Taker:
    """What decides whether one person can take shifts between two instants."""

    def __init__(self, user: User, since: datetime, until: datetime):
        self.user = user
        self.windows = availability.patterns_of([user])[user.pk].windows
        self.zone = availability.zone_for(user)
        local = since.astimezone(self.zone).date(), until.astimezone(self.zone).date()
        self.off = availability.days_off([user.pk], *local).get(user.pk, set())
        self.busy = list(
            Shift.objects.filter(user=user, starts_at__lt=until, ends_at__gt=since).values_list(
                "pk", "starts_at", "ends_at"
            )
        )

    def refusal(self, shift: Shift) -> str | None:
        name = self.user.display_name
        if self.user.pk == shift.user_id:
            return "That is already your shift."
        if not self.user.is_staff_member or (
            shift.rule and not rules.includes(shift.rule, self.user)
        ):
            return f"{name} is not in this rotation."
        if any(
            b < shift.ends_at and e > shift.starts_at for pk, b, e in self.busy if pk != shift.pk
        ):
            return f"{name} has a shift at that time."
        start, end = shift.starts_at.astimezone(self.zone), shift.ends_at.astimezone(self.zone)
        if not availability.fits(self.windows, start, end) or {start.date(), end.date()} & self.off:
            return f"{name} is not available at that time."
        return None


def _refuse_ineligible(shift: Shift, taker: User) -> None:
    """A taker must be someone else the rule covers, free and available then."""
    refusal = _Taker(taker, shift.starts_at, shift.ends_at).refusal(shift)
    if refusal:
        raise ActionError(refusal, field="asked")


def _refuse_past(shift: Shift) -> None:
    if shift.starts_at <= timezone.now():
        raise ActionError("This shift has started; it can no longer change hands.")


def _lock(shift: Shift) -> Shift:
    return Shift.objects.select_for_update(of=("self",)).select_related("rule").get(pk=shift.pk)


def _lock_swap(swap: ShiftSwap) -> ShiftSwap:
    locked = (
        ShiftSwap.objects.select_for_update(of=("self",))
        .select_related("shift", "offered_by")
        .get(pk=swap.pk)
    )
    if locked.status != SwapStatus.OPEN:
        raise ActionError(
            f"This swap is already {locked.get_status_display().lower()}.", code="conflict"
        )
    return locked


def _decide(swap: ShiftSwap, status: SwapStatus, taken_by: User | None = None) -> None:
    swap.status, swap.taken_by, swap.decided_at = status, taken_by, timezone.now()
    swap.save(update_fields=["status", "taken_by", "decided_at"])


def _when(shift: Shift, reader: User) -> str:
    """The shift's start as the reader would say it, in their own zone."""
    local = shift.starts_at.astimezone(availability.zone_for(reader))
    return f"{local:%a %d %b %H:%M} ({reader.time_zone})"
