"""SLA policies, their calendars and the tier boosts, cached per process.

Clocks start and move inside the ingest and API hot paths, so matching a policy must
cost no query. The whole set is small (a few policies, calendars and tiers), so each
process keeps one snapshot and reloads it when a policy, calendar or holiday is saved
in this process (their save() calls forget) or when it is older than
SLA_CACHE_SECONDS, which bounds how long other processes keep an old one.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from everydesk.sla.business_hours import ALWAYS_OPEN, Calendar, CalendarError, parse_week, zone


@dataclass(frozen=True)
class Policy:
    id: int
    name: str
    calendar: Calendar
    first_response: dt.timedelta | None
    next_response: dt.timedelta | None
    resolution: dt.timedelta | None
    warn_before: dt.timedelta


@dataclass(frozen=True)
class TierInfo:
    name: str
    boost: int


@dataclass(frozen=True)
class Snapshot:
    # (tier id or None, priority or None) -> policy
    by_key: dict[tuple[int | None, int | None], Policy] = field(default_factory=dict)
    by_id: dict[int, Policy] = field(default_factory=dict)
    tiers: dict[int, TierInfo] = field(default_factory=dict)
    loaded_at: float = 0.0

    def match(self, tier_id: int | None, priority: int) -> Policy | None:
        """Most specific first: tier and priority, tier, priority, default."""
        for key in ((tier_id, priority), (tier_id, None), (None, priority), (None, None)):
            if key in self.by_key:
                return self.by_key[key]
        return None

    @property
    def longest_warning(self) -> dt.timedelta:
        return max((p.warn_before for p in self.by_id.values()), default=dt.timedelta(0))


_lock = threading.Lock()
_snapshot = Snapshot()


def _minutes(value: int | None) -> dt.timedelta | None:
    return None if value is None else dt.timedelta(minutes=value)


def _calendars() -> dict[int, Calendar]:
    from everydesk.sla.models import BusinessCalendar, Holiday

    holidays: dict[int, set[dt.date]] = {}
    for calendar_id, day in Holiday.objects.values_list("calendar_id", "date"):
        holidays.setdefault(calendar_id, set()).add(day)
    found = {}
    for row in BusinessCalendar.objects.all():
        try:
            week = parse_week(row.weekly_hours or {})
            found[row.pk] = Calendar(
                zone=zone(row.time_zone), week=week, holidays=frozenset(holidays.get(row.pk, ()))
            )
        except CalendarError:
            # The admin form refuses these; a row written around it runs around the clock
            # rather than stopping every clock in the company.
            found[row.pk] = ALWAYS_OPEN
    return found


def _load() -> Snapshot:
    from everydesk.customers.models import Tier
    from everydesk.sla.models import SlaPolicy

    calendars = _calendars()
    by_key, by_id = {}, {}
    for row in SlaPolicy.objects.all():
        policy = Policy(
            id=row.pk,
            name=row.name,
            calendar=calendars.get(row.calendar_id or 0, ALWAYS_OPEN),
            first_response=_minutes(row.first_response_minutes),
            next_response=_minutes(row.next_response_minutes),
            resolution=_minutes(row.resolution_minutes),
            warn_before=dt.timedelta(minutes=row.warn_before_minutes),
        )
        by_key[(row.tier_id, row.priority)] = policy
        by_id[row.pk] = policy
    tiers = {
        pk: TierInfo(name, boost)
        for pk, name, boost in Tier.objects.values_list("pk", "name", "priority_boost")
    }
    return Snapshot(by_key=by_key, by_id=by_id, tiers=tiers, loaded_at=time.monotonic())


def current() -> Snapshot:
    global _snapshot
    snapshot = _snapshot
    if not snapshot.loaded_at or time.monotonic() - snapshot.loaded_at > settings.SLA_CACHE_SECONDS:
        with _lock:
            if _snapshot is snapshot:
                _snapshot = _load()
            snapshot = _snapshot
    return snapshot


def forget() -> None:
    """Drop the snapshot: the next use reloads it."""
    global _snapshot
    _snapshot = Snapshot()
