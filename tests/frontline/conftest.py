"""A rotation rule and a way to make many staff at once, for the rotation tests."""

from collections.abc import Callable
from datetime import time

import pytest

from everydesk.accounts.models import Role, User
from everydesk.frontline.models import RotationRule
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
        count: int, *, time_zone: str = "Europe/Berlin", department: str = "Sales",
        role: Role = Role.EMPLOYEE,
    ) -> list[User]:
        people = []
        for _ in range(count):
            n = next(made)
            email = f"staff{n}@staff.test"
            people.append(
                User(
                    username=email, email=email, role=role, first_name=f"Staff{n}",
                    department=department, time_zone=time_zone,
                )
            )
        return User.objects.bulk_create(people)

    return make
