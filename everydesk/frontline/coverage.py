"""Coverage figures for a quarter: hours planned and served, per person and per
department, and who has not served yet. Served means the shift has ended.

Two queries whatever the headcount: the people the active rules include, and one
aggregate over the quarter's shifts grouped by person.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from everydesk.accounts.models import STAFF_ROLES, User
from everydesk.frontline import rules
from everydesk.frontline.models import RotationRule, Shift
from everydesk.frontline.rules import Quarter

NO_DEPARTMENT = "(no department)"


@dataclass
class Line:
    name: str
    planned: float = 0.0  # hours
    served: float = 0.0
    people: int = 1
    user: User | None = None


@dataclass
class Coverage:
    quarter: Quarter
    people: list[Line] = field(default_factory=list)
    departments: list[Line] = field(default_factory=list)

    @property
    def not_served(self) -> list[Line]:
        return [line for line in self.people if not line.served]


def for_quarter(quarter: Quarter, *, department: str = "", now: datetime | None = None) -> Coverage:
    now = now or timezone.now()
    start, end = quarter.bounds(rules.zone_of(settings.TIME_ZONE))
    people = list(_included().filter(**({"department": department} if department else {})))
    hours = _hours(start, end, now)
    result = Coverage(quarter=quarter)
    by_department: dict[str, Line] = {}
    for person in people:
        planned, served = hours.get(person.pk, (0.0, 0.0))
        result.people.append(Line(person.display_name, planned, served, user=person))
        line = by_department.setdefault(
            person.department or NO_DEPARTMENT, Line(person.department or NO_DEPARTMENT, people=0)
        )
        line.planned, line.served, line.people = (
            line.planned + planned,
            line.served + served,
            line.people + 1,
        )
    result.departments = sorted(by_department.values(), key=lambda line: line.name)
    return result


def _included() -> QuerySet[User]:
    """Staff any active rule includes; with no rule yet, every staff member."""
    chosen = Q()
    for rule in RotationRule.objects.filter(active=True):
        chosen |= Q(pk__in=rules.included_people(rule).values("pk"))
    base = User.objects.filter(is_active=True, role__in=list(STAFF_ROLES))
    return base.filter(chosen).order_by("department", "first_name", "last_name", "email")


def _hours(start: datetime, end: datetime, now: datetime) -> dict[int, tuple[float, float]]:
    length = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    rows = (
        Shift.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .values("user_id")
        .annotate(planned=Sum(length), served=Sum(length, filter=Q(ends_at__lte=now)))
    )
    zero = timedelta()
    return {row["user_id"]: (_h(row["planned"] or zero), _h(row["served"] or zero)) for row in rows}


def _h(span: timedelta) -> float:
    return round(span.total_seconds() / 3600, 2)
