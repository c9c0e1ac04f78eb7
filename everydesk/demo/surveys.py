"""Survey answers for the demo: CSAT on part of the solved conversations, a few NPS,
and the recovery conversations the lowest recent ones opened.

Rows are written with the times they would have had (a few hours after the solve),
so figures over time have a history; only the lowest answers of the last fortnight
(a handful) go through closing the loop, as a real answer would have.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from everydesk.conversations.models import Conversation, Status
from everydesk.customers.models import Customer
from everydesk.listening import intake
from everydesk.listening.models import VoiceSource
from everydesk.surveys import recovery
from everydesk.surveys.models import Survey, SurveyKind

CSAT_SHARE = 0.3  # of solved conversations, like a typical response rate
MAX_CSAT = 400
MAX_NPS = 60
RECENT = timedelta(days=14)
# Each recovery emails its owner; the demo's worker prints mail in the terminal.
MAX_RECOVERIES = 5
# Scores weighted the way service surveys usually come back: mostly good.
CSAT_WEIGHTS = {1: 4, 2: 5, 3: 10, 4: 30, 5: 51}
NPS_WEIGHTS = {0: 2, 2: 2, 4: 3, 5: 4, 6: 6, 7: 10, 8: 18, 9: 27, 10: 28}
COMMENTS = {
    "low": (
        "Took far too long and nobody kept me posted.",
        "I had to explain the problem three times.",
        "The refund still has not arrived.",
    ),
    "mid": ("Solved in the end, but slowly.", "OK, though the first answer missed the point."),
    "high": (
        "Quick, friendly and it just worked. Thank you!",
        "Alex sorted it out in one reply.",
        "Great service, I will order again.",
    ),
}


def _comment(rng: random.Random, score: int, top: int) -> str:
    if rng.random() > 0.4:
        return ""
    band = "low" if score <= top * 0.4 else "mid" if score <= top * 0.7 else "high"
    return rng.choice(COMMENTS[band])


def _pick(rng: random.Random, weights: dict[int, int]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def answer_some(*, seed: int = 1, skip_customers: tuple[int, ...] = ()) -> int:
    """Add the demo's survey answers; returns how many. Customers in `skip_customers`
    (the portal demo customer) keep their solved conversations unrated, to try it."""
    rng = random.Random(seed)
    solved = list(
        Conversation.objects.filter(
            status__in=(Status.SOLVED, Status.CLOSED), solved_at__isnull=False
        )
        .filter(merged_into__isnull=True)
        .exclude(customer_id__in=skip_customers)
        .select_related("customer")
        .order_by("pk")
    )
    chosen = rng.sample(solved, min(MAX_CSAT, int(len(solved) * CSAT_SHARE)))
    surveys = [_csat(rng, conversation) for conversation in chosen]
    customers = list(Customer.objects.exclude(pk__in=skip_customers).order_by("pk")[: MAX_NPS * 3])
    surveys += [
        _nps(rng, customer) for customer in rng.sample(customers, min(MAX_NPS, len(customers)))
    ]
    Survey.objects.bulk_create(surveys)
    for survey in surveys:
        _voice(survey)
    recent = timezone.now() - RECENT
    low = [s for s in surveys if recovery.is_low(s) and s.answered_at and s.answered_at > recent]
    for survey in sorted(low, key=lambda s: s.answered_at or recent)[-MAX_RECOVERIES:]:
        recovery.close_the_loop(survey)
    return len(surveys)


def _csat(rng: random.Random, conversation: Conversation) -> Survey:
    now = timezone.now()
    solved_at = conversation.solved_at or now  # the query asks for solved ones only
    sent: datetime = min(solved_at + timedelta(hours=1), now)
    score = _pick(rng, CSAT_WEIGHTS)
    return Survey(
        kind=SurveyKind.CSAT,
        customer=conversation.customer,
        conversation=conversation,
        team_id=conversation.team_id,
        tier_id=conversation.customer.tier_id,
        agent_id=conversation.assignee_id,
        sent_at=sent,
        answered_at=min(sent + timedelta(hours=rng.uniform(0.1, 30)), now),
        score=score,
        comment=_comment(rng, score, 5),
    )


def _nps(rng: random.Random, customer: Customer) -> Survey:
    now = timezone.now()
    sent = now - timedelta(days=rng.uniform(1, 80))
    score = _pick(rng, NPS_WEIGHTS)
    return Survey(
        kind=SurveyKind.NPS,
        customer=customer,
        tier_id=customer.tier_id,
        sent_at=sent,
        answered_at=min(sent + timedelta(hours=rng.uniform(0.5, 48)), now),
        score=score,
        comment=_comment(rng, score, 10),
    )


def _voice(survey: Survey) -> None:
    """As answering does: the comment is customer text, scored with the rest."""
    if survey.comment:
        intake.record_voice(
            source=VoiceSource.SURVEY,
            text=survey.comment,
            customer=survey.customer,
            conversation=survey.conversation,
            created_at=survey.answered_at,
        )
