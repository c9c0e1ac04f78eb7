"""The daily NPS run: a random sample of recently active customers, never anyone
surveyed within the quiet period, opted out or bouncing."""

import datetime as dt
import random
import secrets

import pytest
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer
from everydesk.surveys import sampling
from everydesk.surveys.models import Survey, SurveyKind, SurveyOptOut
from tests.surveys.conftest import survey_links, survey_mails

pytestmark = pytest.mark.django_db


def _customers(count: int, *, active: bool = True) -> list[Customer]:
    made = [
        Customer.objects.create(email=f"c{secrets.token_hex(6)}@example.com", name=f"C {i}")
        for i in range(count)
    ]
    if active:
        for customer in made:
            Conversation.objects.create(customer=customer, subject="Hello")
    return made


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_once(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return sampling.run_nps(rng=random.Random(7), **kwargs)

    return run_once


@pytest.fixture
def everyone(settings):
    settings.NPS_SAMPLE_PERCENT = 100.0
    settings.NPS_PER_RUN = 1000


def test_each_sampled_customer_gets_one_email_with_eleven_links(everyone, run):
    people = _customers(3)
    surveys = run()
    assert sorted(s.customer_id for s in surveys) == sorted(c.pk for c in people)
    assert all(s.kind == SurveyKind.NPS and s.conversation is None for s in surveys)
    mails = survey_mails()
    assert sorted(m.to[0] for m in mails) == sorted(c.email for c in people)
    assert sorted(survey_links(mails[0])) == list(range(11))


def test_only_recently_active_customers_are_asked(everyone, run, settings):
    settings.NPS_ACTIVE_DAYS = 90
    [recent] = _customers(1)
    [idle] = _customers(1, active=False)
    Conversation.objects.create(
        customer=idle, subject="Old", updated_at=timezone.now() - dt.timedelta(days=200)
    )
    [buyer] = _customers(1, active=False)
    buyer.last_order_at = timezone.now() - dt.timedelta(days=3)
    buyer.save(update_fields=["last_order_at"])
    assert {s.customer_id for s in run()} == {recent.pk, buyer.pk}


def test_nobody_is_asked_again_within_the_quiet_days(everyone, run, settings):
    settings.SURVEY_QUIET_DAYS = 90
    first, second = _customers(2)
    Survey.objects.create(
        kind=SurveyKind.CSAT, customer=first, sent_at=timezone.now() - dt.timedelta(days=10)
    )
    Survey.objects.create(
        kind=SurveyKind.NPS, customer=second, sent_at=timezone.now() - dt.timedelta(days=91)
    )
    assert [s.customer_id for s in run()] == [second.pk]


def test_a_second_run_the_same_day_asks_nobody(everyone, run):
    _customers(4)
    assert len(run()) == 4
    assert run() == []
    assert Survey.objects.count() == 4
    assert len(survey_mails()) == 4


def test_opted_out_and_bouncing_customers_are_never_asked(everyone, run):
    asked, stopped, bouncing = _customers(3)
    SurveyOptOut.objects.create(customer=stopped)
    bouncing.email_bouncing_since = timezone.now()
    bouncing.save(update_fields=["email_bouncing_since"])
    assert [s.customer_id for s in run()] == [asked.pk]


def test_the_sample_is_a_share_of_the_eligible_capped_per_run(run, settings):
    _customers(20)
    settings.NPS_SAMPLE_PERCENT = 25.0
    settings.NPS_PER_RUN = 1000
    assert len(run()) == 5
    settings.NPS_SAMPLE_PERCENT = 100.0
    settings.NPS_PER_RUN = 3
    assert len(run()) == 3
    assert Survey.objects.values("customer").distinct().count() == 8


def test_someone_asked_meanwhile_is_skipped_at_the_last_moment(everyone):
    [customer] = _customers(1)
    now = timezone.now()
    assert sampling._ask(customer.pk, now) is not None
    assert sampling._ask(customer.pk, now) is None


@pytest.mark.parametrize(
    "eligible,percent,cap,expected",
    [(0, 5, 200, 0), (1, 5, 200, 1), (100, 5, 200, 5), (10_000, 5, 200, 200)],
)
def test_sample_size(settings, eligible, percent, cap, expected):
    settings.NPS_SAMPLE_PERCENT, settings.NPS_PER_RUN = percent, cap
    assert sampling.sample_size(eligible) == expected
