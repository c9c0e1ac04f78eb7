"""Surveys: a conversation the agent solved (its CSAT mailed at once), and the links
in the survey emails sent."""

import re

import pytest
from django.conf import settings
from django.core import mail

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Status
from everydesk.surveys.models import Survey


@pytest.fixture(autouse=True)
def _surveys_at_once(settings):
    """CSAT mails go out as soon as a conversation is solved, unless a test delays them;
    scheduled jobs from another test never linger in the in-memory queue."""
    settings.CSAT_DELAY_MINUTES = 0
    settings.SURVEY_RECOVERY_TEAM = ""
    settings.HUEY.flush()
    yield
    settings.HUEY.flush()


def solve(conversation: Conversation, by) -> Conversation:
    return actions.change_status(conversation=conversation, actor=by, status=Status.SOLVED)


@pytest.fixture
def solved(conversation, agent, django_capture_on_commit_callbacks) -> Conversation:
    """The customer's conversation, solved by the agent; its CSAT survey is mailed."""
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
    return conversation


@pytest.fixture
def csat(solved) -> Survey:
    return Survey.objects.get(conversation=solved)


def survey_links(email) -> dict[int, str]:
    """Score -> path of each rating link in a survey email's text."""
    found = re.findall(r"https?://\S+?(/surveys/answer/\S+?)\?score=(\d+)", email.body)
    assert found, email.body
    return {int(score): f"{path}?score={score}" for path, score in found}


def opt_out_path(email) -> str:
    match = re.search(r"https?://\S+?(/surveys/stop/\S+/)", email.body)
    assert match, email.body
    assert match.group(0).startswith(settings.BASE_URL)
    return match.group(1)


def survey_mails() -> list:
    return [m for m in mail.outbox if "/surveys/answer/" in m.body]
