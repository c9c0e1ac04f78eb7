"""Which conversations someone on a front-line shift may take, and in what order.

People on shift are not full-time agents, so the pool holds only what they can
answer well: questions and praise first, then ideas, then anything else calm.
Escalations never appear: urgent priority, any urgency signal (legal, safety, a
threat to leave), strongly negative complaints, excluded tiers (VIP by default),
anything already assigned, merged conversations, and anything listening has not
scored yet.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.conversations.models import Conversation, Kind, Priority
from everydesk.customers.models import Customer
from everydesk.frontline.models import Shift

PAGE_SIZE = 25

# Served in this order; a kind not listed is never offered.
KIND_ORDER = {Kind.QUESTION: 0, Kind.PRAISE: 0, Kind.IDEA: 1, Kind.OTHER: 2, Kind.COMPLAINT: 3}


def may_use(user: User) -> bool:
    """Full-time agents work the main inbox; everyone else on staff takes shifts."""
    return user.is_staff_member and user.role != Role.AGENT


def on_shift_now(user: User) -> Q:
    """True in a query while this person has a shift running (a subquery, no extra trip)."""
    now = timezone.now()
    running = Shift.objects.filter(user_id=user.pk, starts_at__lte=now, ends_at__gt=now)
    return Q(Exists(running))


def current_shift(user: User, now: datetime | None = None) -> Shift | None:
    now = now or timezone.now()
    running = Shift.objects.filter(user_id=user.pk, starts_at__lte=now, ends_at__gt=now)
    return running.order_by("starts_at").first()


def next_shift(user: User, now: datetime | None = None) -> Shift | None:
    now = now or timezone.now()
    return Shift.objects.filter(user_id=user.pk, starts_at__gt=now).order_by("starts_at").first()


def _calm() -> Q:
    """No escalation signs, in columns of the conversation row itself: a claim re-checks
    these in its conditional update, so a conversation that turned urgent is not taken.

    Only what listening has scored (sentiment set) counts as calm: until then nobody
    knows whether it threatens a lawyer, and scoring takes a second or two. Urgency is
    the sum of its signals' weights (15 at least) plus up to 25 for negative sentiment,
    so below 15 means no signal at all (listening/scoring/urgency.py)."""
    return Q(
        is_open=True,
        merged_into__isnull=True,
        assignee__isnull=True,
        urgency__lt=settings.SHIFT_URGENCY_BELOW,
        sentiment__isnull=False,
    ) & ~Q(priority=Priority.URGENT)


def suitable_q() -> Q:
    """The whole rule, for filters (the pool) and for access (what a shift may see)."""
    floor = settings.SHIFT_COMPLAINT_SENTIMENT_FLOOR
    kinds = Q(kind__in=[k for k in KIND_ORDER if k != Kind.COMPLAINT]) | Q(
        kind=Kind.COMPLAINT, sentiment__gt=floor
    )
    # A subquery, not a join: access and search filter the conversation table alone.
    excluded = Customer.objects.filter(tier__slug__in=settings.SHIFT_EXCLUDED_TIERS)
    return _calm() & kinds & ~Q(customer_id__in=excluded.values("pk"))


def claimable_q() -> Q:
    return _calm()


def pool() -> QuerySet[Conversation]:
    """Suitable conversations, best first: kind, then the inbox order (priority, age, id).

    The filter (open, unassigned) is served by the conv_assignee_queue index; the kind
    rank is sorted over that backlog only, which is small next to all conversations.
    """
    rank = Case(
        *[When(kind=kind, then=Value(order)) for kind, order in KIND_ORDER.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    return (
        Conversation.objects.filter(suitable_q())
        .annotate(kind_rank=rank)
        .order_by("kind_rank", "priority", "created_at", "id")
    )


@dataclass(frozen=True)
class Page:
    conversations: list[Conversation]
    number: int
    has_next: bool


def page(number: int = 1) -> Page:
    """One page of the pool in one query: a row past the page tells whether more follow."""
    number = max(number, 1)
    start = (number - 1) * PAGE_SIZE
    rows = list(pool().select_related("customer")[start : start + PAGE_SIZE + 1])
    return Page(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE)


def offered_to(user: User) -> QuerySet[Conversation]:
    """What the shift inbox offers this person now: the pool while on shift, else nothing."""
    if not may_use(user):
        return Conversation.objects.none()
    return Conversation.objects.filter(suitable_q() & on_shift_now(user))
