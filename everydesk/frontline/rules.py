"""What a rotation rule means: the quarter, who is included, and the service slots.

A slot is one shift-length piece of the rule's service hours on one service day,
in the company's zone. Slots are worked out with zoneinfo date by date, so a
09:00 start stays 09:00 local across a daylight-saving change.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from everydesk.accounts.models import STAFF_ROLES, User
from everydesk.frontline.models import RotationRule
from everydesk.lib.errors import ActionError
from everydesk.sla.models import Holiday

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        found = QUARTER.match(text.strip().upper())
        if not found:
            raise ActionError(f"{text!r} is not a quarter; write it like 2027Q1.", field="quarter")
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def days(self) -> list[date]:
        first, end = self.first_day, self.next.first_day
        return [first + timedelta(days=n) for n in range((end - first).days)]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The quarter as [start, end) instants: midnight to midnight in `zone`."""
        start = datetime.combine(self.first_day, time(), zone)
        end = datetime.combine(self.next.first_day, time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime
    day: date  # the company-zone date, so "no two shifts the same day" is one rule


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as error:
        raise ActionError(f"{name!r} is not a time zone.", field="time_zone") from error


def included_people(rule: RotationRule) -> QuerySet[User]:
    """Active staff the rule covers; every staff role counts (the CEO serves too)."""
    roles = [r for r in rule.roles if r in STAFF_ROLES] if rule.roles else list(STAFF_ROLES)
    people = User.objects.filter(is_active=True, role__in=roles)
    if rule.departments:
        people = people.filter(department__in=rule.departments)
    return people


def includes(rule: RotationRule, user: User) -> bool:
    if not (user.is_active and user.role in STAFF_ROLES):
        return False
    if rule.roles and user.role not in rule.roles:
        return False
    return not rule.departments or user.department in rule.departments


def shifts_needed(rule: RotationRule) -> int:
    """Hours rounded up to whole shifts: 5 hours of 2-hour shifts is 3 shifts."""
    return -(-rule.hours_per_quarter * 60 // rule.shift_minutes)


def slots(rule: RotationRule, quarter: Quarter) -> list[Slot]:
    zone = zone_of(rule.time_zone)
    closed = _holidays(rule, quarter)
    length = timedelta(minutes=rule.shift_minutes)
    found = []
    for day in quarter.days():
        if day.weekday() not in rule.service_days or day in closed:
            continue
        start = datetime.combine(day, rule.service_start, zone)
        close = datetime.combine(_closing_day(rule, day), rule.service_end, zone)
        # Each slot ends inside the service hours; a remainder shorter than a shift is unused.
        while start + length <= close:
            found.append(Slot(start.astimezone(UTC), (start + length).astimezone(UTC), day))
            start += length
    return found


def _closing_day(rule: RotationRule, day: date) -> date:
    """Service ending at 00:00 runs to midnight: round-the-clock days are 00:00-00:00."""
    return day + timedelta(days=1) if rule.service_end == time(0) else day


def _holidays(rule: RotationRule, quarter: Quarter) -> set[date]:
    if not rule.holidays_id:
        return set()
    days = Holiday.objects.filter(
        calendar_id=rule.holidays_id,
        date__gte=quarter.first_day,
        date__lt=quarter.next.first_day,
    ).values_list("date", flat=True)
    return set(days)
