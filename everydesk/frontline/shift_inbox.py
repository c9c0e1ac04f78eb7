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
from everydesk.lib import keyset
from everydesk.lib.keyset import BadCursor

PAGE_SIZE = 25
INBOX_ORDER = ("priority", "created_at", "id")

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
    # Written so conv_assignee_queue serves it: `is_open IN (true)` (a bare `WHERE
    # is_open` matches no index on SQLite, see conversations/queues.py), and no
    # merged_into test (a merge closes its source, so open rules it out already, and
    # SQLite without statistics would pick that column's index and sort the pool).
    return Q(
        is_open__in=[True],
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
    """Every suitable conversation, best first: kind, then the inbox order. Sorting on
    the kind rank reads the whole pool, so lists and take-next go bucket by bucket
    instead (`page`, `candidates`); this is for membership and counts."""
    rank = Case(
        *[When(kind=kind, then=Value(order)) for kind, order in KIND_ORDER.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    return (
        Conversation.objects.filter(suitable_q())
        .annotate(kind_rank=rank)
        .order_by("kind_rank", *INBOX_ORDER)
    )


def _bucket(number: int) -> QuerySet[Conversation]:
    """One rank of kinds in inbox order: an ordered range scan of conv_assignee_queue
    (assignee IS NULL, open, priority, age, id) that stops after the rows it needs."""
    kinds = [kind for kind, order in KIND_ORDER.items() if order == number]
    return Conversation.objects.filter(suitable_q(), kind__in=kinds)


BUCKETS = sorted(set(KIND_ORDER.values()))


@dataclass(frozen=True)
class Page:
    conversations: list[Conversation]
    next_cursor: str | None


def _start(after: str | None) -> tuple[int, str | None]:
    """Which bucket a cursor points into, and the keyset cursor within it."""
    if not after:
        return 0, None
    number, _, inner = after.partition(".")
    if not number.isdigit() or int(number) not in BUCKETS:
        raise BadCursor("The cursor is malformed; start again without it.")
    return int(number), inner or None


def page(after: str | None = None, *, size: int = PAGE_SIZE) -> Page:
    """One page of the pool, best first; usually one query (one per bucket it spans)."""
    number, inner = _start(after)
    rows: list[Conversation] = []
    for bucket in BUCKETS[BUCKETS.index(number) :]:
        found = keyset.paginate(
            _bucket(bucket).select_related("customer"),
            fields=INBOX_ORDER,
            after=inner,
            limit=size - len(rows),
        )
        rows += found.items
        if found.next_cursor:
            return Page(rows, f"{bucket}.{found.next_cursor}")
        inner = None
        if len(rows) == size:
            later = [b for b in BUCKETS if b > bucket]
            return Page(rows, f"{later[0]}." if later else None)
    return Page(rows, None)


def candidates(count: int) -> list[int]:
    """Ids of the best `count` suitable conversations, for take-next to try in order."""
    return [c.pk for c in page(size=count).conversations]


def offered_to(user: User) -> QuerySet[Conversation]:
    """What the shift inbox offers this person now: the pool while on shift, else nothing."""
    if not may_use(user):
        return Conversation.objects.none()
    return Conversation.objects.filter(suitable_q() & on_shift_now(user))
