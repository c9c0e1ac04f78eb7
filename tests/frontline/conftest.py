"""A rotation rule and a way to make many staff at once, for the rotation tests."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.frontline.models import RotationRule, Shift
from everydesk.frontline.rules import Quarter

# Far enough ahead that every slot is in the future whenever the tests run.
QUARTER = Quarter(2031, 1)

MakeStaff = Callable[..., list[User]]


@pytest.fixture
def rule(db) -> RotationRule:
    return RotationRule.objects.create(
        name="Everyone",
        hours_per_quarter=4,
        shift_minutes=120,
        time_zone="Europe/Berlin",
        service_start=time(9),
        service_end=time(17),
    )


@pytest.fixture
def make_staff(db) -> MakeStaff:
    made = iter(range(1, 100_000))

    def make(
        count: int,
        *,
        time_zone: str = "Europe/Berlin",
        department: str = "Sales",
        role: Role = Role.EMPLOYEE,
    ) -> list[User]:
        people = []
        for _ in range(count):
            n = next(made)
            email = f"staff{n}@staff.test"
            people.append(
                User(
                    username=email,
                    email=email,
                    role=role,
                    first_name=f"Staff{n}",
                    department=department,
                    time_zone=time_zone,
                )
            )
        return User.objects.bulk_create(people)

    return make


def next_monday(hour: int = 10, *, weeks: int = 1) -> datetime:
    """A Monday at least a week ahead, `hour` o'clock UTC: inside default availability."""
    today = timezone.now().astimezone(UTC).date()
    monday = today + timedelta(days=7 * weeks - today.weekday())
    return datetime.combine(monday, time(hour), UTC)


@pytest.fixture
def make_shift(rule) -> Callable[..., Shift]:
    def make(user: User, starts_at: datetime | None = None, hours: int = 2) -> Shift:
        starts_at = starts_at or next_monday()
        return Shift.objects.create(
            user=user, rule=rule, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours)
        )

    return make
