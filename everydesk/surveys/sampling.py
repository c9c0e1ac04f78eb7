"""The NPS sample: who is asked how likely they are to recommend us, and the throttle.

Eligible are customers active lately (a conversation or an order within
EVERYDESK_NPS_ACTIVE_DAYS) who may be surveyed at all (not opted out, not
bouncing) and were sent no survey of any kind within EVERYDESK_SURVEY_QUIET_DAYS.
Each run asks EVERYDESK_NPS_SAMPLE_PERCENT of them, at most EVERYDESK_NPS_PER_RUN,
chosen at random so every eligible customer has the same chance.

The throttle is checked twice: once to build the list, and again per customer
under a lock on their row just before their survey is written, so two runs at
once (or a CSAT written meanwhile) never survey anybody twice in the quiet period.
"""

import math
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer
from everydesk.surveys import invitations
from everydesk.surveys.models import Survey, SurveyKind


def _recent_survey(now: datetime) -> Exists:
    quiet_since = now - timedelta(days=settings.SURVEY_QUIET_DAYS)
    return Exists(Survey.objects.filter(customer=OuterRef("pk"), sent_at__gt=quiet_since))


def eligible(now: datetime) -> QuerySet[Customer]:
    active_since = now - timedelta(days=settings.NPS_ACTIVE_DAYS)
    # serves: conv_recent (updated_at) rather than a scan of every conversation
    talked = Conversation.objects.filter(updated_at__gte=active_since).values("customer_id")
    active = Customer.objects.filter(Q(pk__in=talked) | Q(last_order_at__gte=active_since))
    return invitations.askable(active).exclude(_recent_survey(now))


def sample_size(eligible_count: int) -> int:
    wanted = math.ceil(eligible_count * settings.NPS_SAMPLE_PERCENT / 100)
    return min(wanted, settings.NPS_PER_RUN, eligible_count)


def run_nps(*, now: datetime | None = None, rng: random.Random | None = None) -> list[Survey]:
    """Write and mail this run's NPS surveys; returns them."""
    now = now or timezone.now()
    ids = list(eligible(now).values_list("pk", flat=True))
    chosen = (rng or random.SystemRandom()).sample(ids, sample_size(len(ids)))
    surveys = [survey for pk in sorted(chosen) if (survey := _ask(pk, now)) is not None]
    return surveys


def _ask(customer_id: int, now: datetime) -> Survey | None:
    with transaction.atomic():
        customer = (
            invitations.askable(Customer.objects.select_for_update(of=("self",)))
            .filter(pk=customer_id)
            .exclude(_recent_survey(now))
            .first()
        )
        if customer is None:
            return None
        survey = Survey.objects.create(
            kind=SurveyKind.NPS, customer=customer, tier_id=customer.tier_id, sent_at=now
        )
        invitations.queue_mail(survey)
    return survey
