"""When each person can serve: weekly windows in their own zone, less their days off.

The builder asks this for thousands of people at once, so availability is worked
out per pattern (a time zone plus a set of weekly windows) as one boolean mask
over the quarter's slots; most people share the default pattern, so a quarter
needs a handful of masks, and only people with days off get a copy of theirs.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from everydesk.accounts.models import User
from everydesk.frontline.models import AvailabilityWindow, TimeOff
from everydesk.frontline.rules import Slot, zone_of
from everydesk.lib.errors import ActionError

Mask = npt.NDArray[np.bool_]
# (weekday, starts, ends) in the person's own zone.
Window = tuple[int, time, time]
DEFAULT_WINDOWS: tuple[Window, ...] = tuple((day, time(9), time(17)) for day in range(5))


@dataclass(frozen=True)
class Pattern:
    time_zone: str
    windows: tuple[Window, ...]


def fits(windows: Iterable[Window], local_start: datetime, local_end: datetime) -> bool:
    """A shift fits when one window holds it whole, on one local day."""
    if local_end.date() != local_start.date() and local_end.time() != time(0):
        return False
    end = local_end.time() if local_end.date() == local_start.date() else time.max
    day, start = local_start.weekday(), local_start.time()
    return any(w == day and begin <= start and end <= finish for w, begin, finish in windows)


def patterns_of(people: Sequence[User]) -> dict[int, Pattern]:
    """Each person's pattern, in one query over their windows."""
    windows: dict[int, list[Window]] = defaultdict(list)
    rows = AvailabilityWindow.objects.filter(user__in=[p.pk for p in people]).order_by(
        "weekday", "starts"
    )
    for user_id, weekday, starts, ends in rows.values_list("user_id", "weekday", "starts", "ends"):
        windows[user_id].append((weekday, starts, ends))
    return {
        p.pk: Pattern(p.time_zone or "UTC", tuple(windows.get(p.pk, DEFAULT_WINDOWS)))
        for p in people
    }


def days_off(user_ids: Sequence[int], first: date, last: date) -> dict[int, set[date]]:
    """Each person's days off between first and last (their local dates)."""
    found: dict[int, set[date]] = defaultdict(set)
    rows = TimeOff.objects.filter(user__in=user_ids, first_day__lte=last, last_day__gte=first)
    for user_id, begin, end in rows.values_list("user_id", "first_day", "last_day"):
        day = max(begin, first)
        while day <= min(end, last):
            found[user_id].add(day)
            day += timedelta(days=1)
    return found


class SlotMasks:
    """Availability of many people over one list of slots, computed per pattern."""

    def __init__(self, slots: Sequence[Slot]):
        self.slots = slots
        self._local: dict[str, list[tuple[datetime, datetime]]] = {}
        self._by_local_day: dict[str, dict[date, list[int]]] = {}
        self._patterns: dict[Pattern, Mask] = {}

    def for_person(self, pattern: Pattern, off: set[date] | None = None) -> Mask:
        """The person's mask; a fresh array only when they have days off."""
        mask = self._pattern_mask(pattern)
        if not off:
            return mask
        mask = mask.copy()
        by_day = self._days(pattern.time_zone)
        for day in off:
            mask[by_day.get(day, [])] = False
        return mask

    def _pattern_mask(self, pattern: Pattern) -> Mask:
        if pattern not in self._patterns:
            local = self._times(pattern.time_zone)
            self._patterns[pattern] = np.fromiter(
                (fits(pattern.windows, start, end) for start, end in local),
                dtype=np.bool_,
                count=len(local),
            )
        return self._patterns[pattern]

    def _times(self, name: str) -> list[tuple[datetime, datetime]]:
        if name not in self._local:
            zone = _zone(name)
            self._local[name] = [
                (s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)) for s in self.slots
            ]
        return self._local[name]

    def _days(self, name: str) -> dict[date, list[int]]:
        """Slot indices by the local date they touch: a day off blocks them all."""
        if name not in self._by_local_day:
            by_day: dict[date, list[int]] = defaultdict(list)
            for index, (start, end) in enumerate(self._times(name)):
                by_day[start.date()].append(index)
                if end.date() != start.date():
                    by_day[end.date()].append(index)
            self._by_local_day[name] = by_day
        return self._by_local_day[name]


def zone_for(user: User) -> ZoneInfo:
    return _zone(user.time_zone)


def _zone(name: str) -> ZoneInfo:
    # A person whose stored zone is unknown is planned in UTC rather than refused.
    try:
        return zone_of(name or "UTC")
    except ActionError:
        return ZoneInfo("UTC")
