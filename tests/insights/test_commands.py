"""`everydesk insights` and the periodic jobs that keep the figures and send the digest."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Kind
from everydesk.insights import tasks
from everydesk.insights.models import DailyFigures, DigestRecipient, DigestRun

pytestmark = pytest.mark.django_db


def opened() -> int:
    return DailyFigures.objects.aggregate(n=Sum("opened"))["n"] or 0


def test_insights_rebuild_recomputes_from_scratch(conversation):
    DailyFigures.objects.create(
        day=timezone.localdate(), channel="portal", kind="question", opened=99
    )
    out = io.StringIO()
    call_command("insights", "--rebuild", stdout=out)
    assert opened() == 1
    assert "Rebuilt: 1 conversations" in out.getvalue()


def test_insights_without_rebuild_refreshes(conversation, customer):
    call_command("insights", stdout=io.StringIO())
    actions.open_conversation(customer=customer, subject="Again", body="Hi", kind=Kind.IDEA)
    out = io.StringIO()
    call_command("insights", stdout=out)
    assert opened() == 2 and out.getvalue().startswith("Refreshed")


def test_the_minute_job_refreshes_the_rollups(conversation):
    tasks.refresh_rollups()
    assert opened() == 1


def test_the_hourly_job_sends_the_due_digest_once(settings, conversation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DigestRecipient.objects.create(email="ceo@company.test")
    tasks.send_weekly_digest()
    tasks.send_weekly_digest()
    assert len(mail.outbox) == 1
    run = DigestRun.objects.get()
    assert run.period_end < timezone.localdate() <= run.period_end + timedelta(days=7)
