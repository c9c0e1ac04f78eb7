"""Fixtures for the front line: a rotation rule and many staff at once (rotation),
people on shift and conversations that are (or are not) for them (shift inbox)."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.customers.models import Customer
from everydesk.frontline.models import RotationRule, Shift
from everydesk.frontline.rules import Quarter
from tests.api.conftest import api  # noqa: F401  (fixtures)
from tests.desk.conftest import open_for, signed_in  # noqa: F401

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


@pytest.fixture
def on_shift(db) -> Callable[..., Shift]:
    """Put someone on a shift that started an hour ago and ends in an hour."""

    def start(user: User, *, hours_left: float = 1) -> Shift:
        now = timezone.now()
        return Shift.objects.create(
            user=user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=hours_left)
        )

    return start


@pytest.fixture
def colleague(db, billing) -> User:
    """A second employee, in another department, who also takes shifts."""
    return User.objects.create_user(
        username="finn@staff.test",
        email="finn@staff.test",
        password="correct horse",
        role="employee",
        first_name="Finn",
    )


@pytest.fixture
def asked(db) -> Callable[..., Conversation]:
    """A customer's conversation with the listening scores a test needs (calm by
    default), set straight on the row as the scoring job would."""

    def make(
        customer: Customer,
        subject: str = "How do I change my delivery address?",
        *,
        kind: str = Kind.QUESTION,
        **scores: object,
    ) -> Conversation:
        conversation = actions.open_conversation(
            customer=customer, subject=subject, body=f"{subject} Thanks!", kind=kind
        )
        scores.setdefault("sentiment", 0.2)
        Conversation.objects.filter(pk=conversation.pk).update(**scores)
        conversation.refresh_from_db()
        return conversation

    return make
