"""Listening tests: the pipeline's scoring runs the real models (listening.scoring);
tests of grouping also use voices with hand-made embeddings (each theme one direction,
each voice a little off it), so what is near and what is far is decided here.
"""

import datetime as dt
import itertools

import numpy as np
import pytest
from django.utils import timezone

from everydesk.customers.models import Customer
from everydesk.listening import intake, scoring, similar
from everydesk.listening.models import SentimentLabel, Topic, Voice, VoiceSource
from everydesk.listening.vectors import to_bytes, unit

DIM = 32
_rng = np.random.default_rng(7)
_emails = itertools.count(1)


def direction(theme: int) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[theme] = 1.0
    return vector


def near(theme: int, spread: float = 0.15) -> np.ndarray:
    return unit(direction(theme) + _rng.normal(0, spread / np.sqrt(DIM), DIM).astype(np.float32))


def between(first: int, second: int) -> np.ndarray:
    return unit(direction(first) + direction(second))


def make_customer(name: str = "") -> Customer:
    number = next(_emails)
    return Customer.objects.create(email=f"c{number}@example.com", name=name or f"Cust {number}")


def make_voice(
    text: str,
    embedding: np.ndarray | None,
    *,
    at: dt.datetime | None = None,
    sentiment: float = -0.5,
    customer: Customer | None = None,
    conversation=None,
    scored: bool = True,
) -> Voice:
    label = SentimentLabel.NEGATIVE if sentiment < -0.05 else SentimentLabel.POSITIVE
    return Voice.objects.create(
        source=VoiceSource.MESSAGE,
        text=text,
        created_at=at or timezone.now(),
        customer=customer,
        conversation=conversation,
        scored_at=timezone.now() if scored else None,
        sentiment=sentiment,
        sentiment_label=label,
        kind="complaint",
        embedding=to_bytes(embedding) if embedding is not None else None,
    )


def make_topic(theme: int, name: str = "", **fields) -> Topic:
    return Topic.objects.create(
        name=name or f"theme {theme}", centroid=to_bytes(direction(theme)), **fields
    )


@pytest.fixture
def make():
    """The helpers above, for tests that prefer a fixture."""

    class Make:
        voice = staticmethod(make_voice)
        topic = staticmethod(make_topic)
        customer = staticmethod(make_customer)

    return Make


@pytest.fixture(autouse=True)
def _listening_fresh(settings):
    """Every nudge runs the job at once (no throttle window), and no index survives a test."""
    settings.LISTENING_NUDGE_SECONDS = 0
    intake.forget()
    similar.forget()
    yield
    similar.forget()


@pytest.fixture(name="scoring")
def scoring_library():
    """The scoring library the job uses."""
    return scoring
