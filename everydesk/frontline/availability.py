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
    start, end = _minutes(local_start.time()), _end_minutes(local_start, local_end)
    day = local_start.weekday()
    return any(w == day and _minutes(b) <= start and end <= _until(f) for w, b, f in windows)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _until(moment: time) -> int:
    """A window ending at 00:00 runs to midnight."""
    return 24 * 60 if moment == time(0) else _minutes(moment)


def _end_minutes(start: datetime, end: datetime) -> int:
    if end.date() == start.date():
        return _minutes(end.time())
    return 24 * 60 if end.time() == time(0) else 10_000


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
        self._arrays: dict[str, tuple[npt.NDArray[np.int16], ...]] = {}

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
            weekday, start, end = self._local_arrays(pattern.time_zone)
            mask = np.zeros(len(self.slots), dtype=np.bool_)
            for day, begin, finish in pattern.windows:
                mask |= (weekday == day) & (start >= _minutes(begin)) & (end <= _until(finish))
            self._patterns[pattern] = mask
        return self._patterns[pattern]

    def _local_arrays(self, name: str) -> tuple[npt.NDArray[np.int16], ...]:
        """Per slot in this zone: weekday, start and end as minutes of the local day.
        A slot running past local midnight gets an end no window reaches (as `fits`)."""
        if name not in self._arrays:
            local = self._times(name)
            weekday = np.array([s.weekday() for s, _ in local], dtype=np.int16)
            start = np.array([_minutes(s.time()) for s, _ in local], dtype=np.int16)
            end = np.array([_end_minutes(s, e) for s, e in local], dtype=np.int16)
            self._arrays[name] = (weekday, start, end)
        return self._arrays[name]

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
