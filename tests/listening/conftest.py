"""Listening pipeline tests score with the real models (everydesk.listening.scoring)."""

import pytest

from everydesk.listening import intake, scoring, similar


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
