"""Praise tests: staff with full names and a manager, and scored voices made by hand
(the scoring job's own test below runs the real models)."""

import itertools

import pytest
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.listening.models import SentimentLabel, Voice, VoiceSource

_n = itertools.count(1)


def make_staff(first: str, last: str = "", role: Role = Role.AGENT, **fields) -> User:
    email = f"{first.lower()}{next(_n)}@staff.test"
    return User.objects.create_user(
        username=email, email=email, first_name=first, last_name=last, role=role, **fields
    )


def praise_voice(text: str, *, customer=None, conversation=None, **fields) -> Voice:
    values = {
        "source": VoiceSource.MESSAGE,
        "kind": "praise",
        "sentiment": 0.8,
        "sentiment_label": SentimentLabel.POSITIVE,
        "scored_at": timezone.now(),
    } | fields
    return Voice.objects.create(text=text, customer=customer, conversation=conversation, **values)


@pytest.fixture
def boss(db) -> User:
    return make_staff("Beatrix", "Stone", Role.MANAGER, department="Support")


@pytest.fixture
def priya(boss) -> User:
    return make_staff("Priya", "Natarajan", manager=boss, department="Support")
