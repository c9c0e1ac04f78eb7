"""Policies and calendars for the SLA tests; conversations are opened through the actions."""

import datetime as dt
from collections.abc import Callable

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.customers.models import Customer
from everydesk.sla.models import BusinessCalendar, ConversationSla, SlaPolicy
from tests.desk.conftest import signed_in  # noqa: F401  (the desk's signed-in client)


@pytest.fixture
def around_the_clock(db) -> SlaPolicy:
    """The default policy: answer within an hour, again within two, solve within a day."""
    return SlaPolicy.objects.create(
        name="Default",
        first_response_minutes=60,
        next_response_minutes=120,
        resolution_minutes=24 * 60,
        warn_before_minutes=15,
    )


@pytest.fixture
def office_hours(db) -> BusinessCalendar:
    weekdays = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    return BusinessCalendar.objects.create(
        name="Paris office", time_zone="Europe/Paris", weekly_hours=weekdays
    )


@pytest.fixture
def open_case(db) -> Callable[..., Conversation]:
    def make(customer: Customer, subject: str = "Broken lamp", **options: object) -> Conversation:
        return actions.open_conversation(
            customer=customer,
            subject=subject,
            body="It arrived cracked.",
            kind=Kind.COMPLAINT,
            **options,  # type: ignore[arg-type]
        )

    return make


def clock_of(conversation: Conversation) -> ConversationSla:
    return ConversationSla.objects.get(conversation=conversation)


def near(moment: dt.datetime | None, expected: dt.datetime, seconds: float = 5) -> bool:
    return moment is not None and abs((moment - expected).total_seconds()) < seconds
