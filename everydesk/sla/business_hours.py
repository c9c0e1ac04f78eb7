"""Business-time arithmetic: pure functions over a calendar value, no database.

A calendar is weekly opening spans in local wall time in one IANA zone, less holidays
(local dates). Every local day becomes a few half-open UTC intervals [start, end); all
arithmetic happens on those, so daylight-saving changes fall out of zoneinfo: a 00:00-24:00
day lasts 23 or 25 real hours when the clocks change, and the repeated hour counts twice
because it really passes twice.

Wall times are turned into instants with fold=0 (the earlier reading). That keeps the
mapping non-decreasing within a day, so a span that starts inside a spring-forward gap
simply starts when the clocks reach the next real time.

Spans may not cross midnight: a night shift is written as two spans (22:00-24:00 and
00:00-06:00 the next day). It keeps one rule for holidays (a holiday closes its own
local date, nothing else) and one day's intervals independent of the next.
"""

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
# A calendar open a few hours a year still ends a search; one that never opens within
# this many days (holidays covering everything) is refused rather than looped over.
MAX_DAYS_SEARCHED = 3 * 366
UTC = dt.UTC

Span = tuple[int, int]  # minutes after local midnight, start < end <= 1440


class CalendarError(ValueError):
    """The opening hours cannot be used as written."""


@dataclass(frozen=True)
class Calendar:
    zone: ZoneInfo
    # Monday first; each day's spans sorted and not overlapping.
    week: tuple[tuple[Span, ...], ...]
    holidays: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise CalendarError("A week has seven days.")
        if not any(self.week):
            raise CalendarError("The calendar is never open: give at least one span.")
        for spans in self.week:
            _check_day(spans)


def _check_day(spans: Sequence[Span]) -> None:
    previous_end = -1
    for start, end in spans:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise CalendarError("Each span runs forward within one day (00:00 to 24:00).")
        if start < previous_end:
            raise CalendarError("Spans of one day may not overlap.")
        previous_end = end


ALWAYS_OPEN = Calendar(zone=ZoneInfo("UTC"), week=(((0, MINUTES_PER_DAY),),) * 7)


def _minutes(text: str) -> int:
    try:
        hours, minutes = (int(part) for part in text.split(":"))
    except ValueError:
        raise CalendarError(f"{text!r} is not a time like 09:00.") from None
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise CalendarError(f"{text!r} is not a time between 00:00 and 24:00.")
    return hours * 60 + minutes


def parse_week(weekly_hours: Mapping[str, Sequence[Sequence[str]]]) -> tuple[tuple[Span, ...], ...]:
    """{"mon": [["09:00", "17:00"]], ...} as spans; missing days are closed."""
    unknown = set(weekly_hours) - set(DAYS)
    if unknown:
        raise CalendarError(f"Unknown day {sorted(unknown)[0]!r}; use {', '.join(DAYS)}.")
    week = []
    for day in DAYS:
        try:
            spans = sorted((_minutes(a), _minutes(b)) for a, b in weekly_hours.get(day, []))
        except (TypeError, ValueError) as error:
            if isinstance(error, CalendarError):
                raise
            raise CalendarError(f'{day}: write each span as ["09:00", "17:00"].') from None
        _check_day(spans)
        week.append(tuple(spans))
    return tuple(week)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(f"{name!r} is not a time zone name like Europe/Paris.") from None


def _instant(day: dt.date, minute: int, tz: ZoneInfo) -> dt.datetime:
    days, minute = divmod(minute, MINUTES_PER_DAY)  # 24:00 is the next day's midnight
    wall = dt.time(minute // 60, minute % 60)
    return dt.datetime.combine(day + dt.timedelta(days=days), wall, tzinfo=tz).astimezone(UTC)


@lru_cache(maxsize=65_536)
def _day(calendar: Calendar, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """The UTC intervals one local day is open (none on a holiday)."""
    if day in calendar.holidays:
        return ()
    intervals = []
    for start, end in calendar.week[day.weekday()]:
        opens, closes = _instant(day, start, calendar.zone), _instant(day, end, calendar.zone)
        if opens < closes:  # a span wholly inside a spring-forward gap never happens
            intervals.append((opens, closes))
    return tuple(intervals)


def _intervals(calendar: Calendar, since: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open intervals in order, clipped to start no earlier than `since`."""
    # Spans never cross midnight, so nothing before `since`'s own local date is open later.
    day = since.astimezone(calendar.zone).date()
    for _ in range(MAX_DAYS_SEARCHED):
        for opens, closes in _day(calendar, day):
            if closes > since:
                yield max(opens, since), closes
        day += dt.timedelta(days=1)
    raise CalendarError(f"The calendar is not open in the {MAX_DAYS_SEARCHED} days searched.")


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Business time needs aware datetimes.")
    return moment.astimezone(UTC)


def add_business_time(
    start: dt.datetime, duration: dt.timedelta, calendar: Calendar
) -> dt.datetime:
    """The instant when `duration` of open time has passed after `start` (UTC)."""
    start = _aware(start)
    if duration < dt.timedelta(0):
        raise ValueError("Business time only runs forward.")
    if not duration:
        return start
    left = duration
    for opens, closes in _intervals(calendar, start):
        if closes - opens >= left:
            return opens + left
        left -= closes - opens
    raise AssertionError("unreachable: _intervals raises when it runs out")  # pragma: no cover


def business_time_between(a: dt.datetime, b: dt.datetime, calendar: Calendar) -> dt.timedelta:
    """Open time from `a` to `b`; negative when `b` comes first."""
    a, b = _aware(a), _aware(b)
    if b < a:
        return -business_time_between(b, a, calendar)
    total = dt.timedelta(0)
    for opens, closes in _intervals(calendar, a):
        if opens >= b:
            break
        total += min(closes, b) - opens
    return total


def is_open(moment: dt.datetime, calendar: Calendar) -> bool:
    moment = _aware(moment)
    opens, _ = next(_intervals(calendar, moment))
    return opens <= moment
