"""People on shift and conversations that are (or are not) for them."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.customers.models import Customer
from everydesk.frontline.models import Shift
from tests.api.conftest import api  # noqa: F401  (fixtures)
from tests.desk.conftest import open_for, signed_in  # noqa: F401


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
