"""The loyalty figures: CSAT, NPS, recovery, repeat purchases, SLA attainment, VIP health.

Computed once per (period, filters) by `compute()`, which insights.figures.compute
calls, so the dashboard, the API and the digest read the same numbers. Every query
is bounded by an index on a date (docs/recovery.md says which), so the cost follows
the period's rows, not the size of the desk.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from everydesk.conversations.models import OPEN_STATUSES, Conversation, Kind
from everydesk.customers.models import Customer, Order, Tier
from everydesk.insights.models import ConversationFact, VoiceFact
from everydesk.recovery.models import SolvedComplaint
from everydesk.sla.models import ConversationSla
from everydesk.surveys.models import Survey, SurveyKind

if TYPE_CHECKING:
    from everydesk.insights.figures import Filters, Period

GOOD_CSAT = 4  # 4 or 5 of 5 is a satisfied customer
PROMOTER = 9  # 9-10 of 10
DETRACTOR = 6  # 0-6 of 10
QUIET_DAYS = 90  # a VIP we have not heard from in this long is listed
QUIET_SHOWN = 10


@dataclass(frozen=True)
class Rate:
    """A share with its counts, so a page can say "3 of 4" as well as 75%."""

    part: int = 0
    whole: int = 0

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None

    def __str__(self) -> str:
        return f"{self.part:,} of {self.whole:,} ({self.value:.0%})" if self.whole else "none yet"


@dataclass(frozen=True)
class Answers:
    """Answered surveys of one kind: CSAT satisfied, or NPS promoters and detractors."""

    answered: int = 0
    high: int = 0  # CSAT 4-5, NPS 9-10
    low: int = 0  # NPS 0-6

    @property
    def csat(self) -> float | None:
        """Share (0..1) of answers that were 4 or 5."""
        return self.high / self.answered if self.answered else None

    @property
    def nps(self) -> float | None:
        """% promoters less % detractors, -100..100."""
        return 100 * (self.high - self.low) / self.answered if self.answered else None

    @property
    def csat_label(self) -> str:
        return f"{self.csat:.0%} of {self.answered:,}" if self.csat is not None else "\N{EN DASH}"

    @property
    def nps_label(self) -> str:
        return f"{self.nps:+.0f} of {self.answered:,}" if self.nps is not None else "\N{EN DASH}"

    def __add__(self, other: "Answers") -> "Answers":
        return Answers(self.answered + other.answered, self.high + other.high, self.low + other.low)


@dataclass(frozen=True)
class Group:
    """CSAT and NPS of one team or tier in the period."""

    name: str
    csat: Answers
    nps: Answers


@dataclass
class VipHealth:
    customers: int = 0
    open_complaints: int = 0
    sentiment: float | None = None  # average of their voices in the period, -1..1
    csat: Answers = field(default_factory=Answers)
    breaches: int = 0  # SLA breaches of their conversations opened in the period
    quiet: list[Customer] = field(default_factory=list)  # not heard from in QUIET_DAYS
    quiet_count: int = 0


@dataclass
class Loyalty:
    csat: Answers
    csat_before: Answers
    nps: Answers
    nps_before: Answers
    recovery: Rate  # complainers of the period who rated well or bought again since
    recovery_before: Rate
    repeat_complainers: Rate  # of complainers with orders, the share with two or more
    repeat_others: Rate  # the same for every other customer with orders
    sla: Rate  # decided SLA targets met, conversations opened in the period
    sla_before: Rate
    sla_first_response: Rate
    sla_resolution: Rate
    csat_trend: list[float | None] = field(default_factory=list)  # 0..1 per bar
    nps_trend: list[float | None] = field(default_factory=list)  # -100..100 per bar
    by_team: list[Group] = field(default_factory=list)
    by_tier: list[Group] = field(default_factory=list)
    vip: VipHealth = field(default_factory=VipHealth)


def window(period: "Period") -> tuple[datetime, datetime]:
    """The period's local days as [start, end) moments."""
    return window_of(period.start, period.end)


def window_of(first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(first, time(), tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)


def compute(period: "Period", filters: "Filters", buckets: list[tuple[date, date]]) -> Loyalty:
    previous = period.previous()
    spans = [(period.start, period.end), (previous.start, previous.end), *buckets]
    (now_csat, now_nps), (old_csat, old_nps), *trend = _answers_in(spans, filters)
    sla = _sla(period, filters)
    loyalty = Loyalty(
        csat=now_csat,
        csat_before=old_csat,
        nps=now_nps,
        nps_before=old_nps,
        recovery=recovery_rate(period, filters),
        recovery_before=recovery_rate(previous, filters),
        repeat_complainers=Rate(),
        repeat_others=Rate(),
        sla=sla[0],
        sla_before=_sla(previous, filters)[0],
        sla_first_response=sla[1],
        sla_resolution=sla[2],
    )
    loyalty.repeat_complainers, loyalty.repeat_others = repeat_purchase(period, filters)
    loyalty.csat_trend = [csat.csat for csat, _ in trend]
    loyalty.nps_trend = [nps.nps for _, nps in trend]
    loyalty.by_team = _groups(period, filters, "team__name")
    loyalty.by_tier = _groups(period, filters, "tier__name")
    loyalty.vip = vip_health(period)
    return loyalty


def _answered(start: datetime, end: datetime, filters: "Filters") -> QuerySet[Survey]:
    # serves from survey_answered (kind, answered_at)
    return Survey.objects.filter(
        filters.q(),
        kind__in=SurveyKind.values,
        answered_at__gte=start,
        answered_at__lt=end,
        score__isnull=False,
    )


ANSWER_COUNTS = {
    "answered": Count("id"),
    "high": Count(
        "id",
        filter=Q(kind=SurveyKind.CSAT, score__gte=GOOD_CSAT)
        | Q(kind=SurveyKind.NPS, score__gte=PROMOTER),
    ),
    "low": Count("id", filter=Q(kind=SurveyKind.NPS, score__lte=DETRACTOR)),
}

Span = tuple[date, date]  # local days, inclusive


def _answers_in(spans: list[Span], filters: "Filters") -> list[tuple[Answers, Answers]]:
    """(CSAT, NPS) answers of each span, in one query over the index on answered_at.

    One conditional count per span and measure rather than grouping by a local date:
    SQLite would compute that date in Python for every survey row.
    """
    start, end = window_of(min(s for s, _ in spans), max(e for _, e in spans))
    counts: dict[str, Any] = {}
    for i, span in enumerate(spans):
        first, after = window_of(*span)
        moments = Q(answered_at__gte=first, answered_at__lt=after)
        for kind in SurveyKind.values:
            in_span = moments & Q(kind=kind)
            for name, condition in _measures(kind).items():
                counts[f"{kind}_{name}_{i}"] = Count("id", filter=in_span & condition)
    found = _answered(start, end, filters).aggregate(**counts)
    return [
        tuple(  # type: ignore[misc]
            Answers(*(found.get(f"{kind}_{name}_{i}", 0) for name in ("answered", "high", "low")))
            for kind in (SurveyKind.CSAT, SurveyKind.NPS)
        )
        for i in range(len(spans))
    ]


def _measures(kind: str) -> dict[str, Q]:
    if kind == SurveyKind.CSAT:
        return {"answered": Q(), "high": Q(score__gte=GOOD_CSAT)}  # CSAT has no "low"
    return {"answered": Q(), "high": Q(score__gte=PROMOTER), "low": Q(score__lte=DETRACTOR)}


def _groups(period: "Period", filters: "Filters", by: str) -> list[Group]:
    """CSAT and NPS per team (or tier) as each survey recorded it when sent."""
    rows = _answered(*window(period), filters).values(by, "kind").annotate(**ANSWER_COUNTS)
    found: dict[str, dict[str, Answers]] = {}
    for r in rows.order_by():
        name = r[by] or ("No team" if by.startswith("team") else "No tier")
        found.setdefault(name, {})[r["kind"]] = Answers(r["answered"], r["high"], r["low"])
    return [
        Group(name, kinds.get(SurveyKind.CSAT, Answers()), kinds.get(SurveyKind.NPS, Answers()))
        for name, kinds in sorted(found.items())
    ]


def complaints_in(period: "Period", filters: "Filters") -> QuerySet[SolvedComplaint]:
    """Complaints solved in the period (latest solve), by the complaint's team and tier."""
    start, end = window(period)
    # serves from solved_complaint_when
    return SolvedComplaint.objects.filter(filters.q(), solved_at__gte=start, solved_at__lt=end)


def recovery_rate(period: "Period", filters: "Filters") -> Rate:
    """Complainers of the period who, after their last complaint in it was solved, gave
    CSAT 4-5 or NPS 9-10 or placed an order (up to now)."""
    complaints = complaints_in(period, filters)
    last_solved = (
        complaints.filter(customer=OuterRef("pk")).order_by("-solved_at").values("solved_at")[:1]
    )
    rated_well = Survey.objects.filter(
        Q(kind=SurveyKind.CSAT, score__gte=GOOD_CSAT) | Q(kind=SurveyKind.NPS, score__gte=PROMOTER),
        customer=OuterRef("pk"),
        answered_at__gt=OuterRef("last_solved"),
    )
    bought = Order.objects.filter(customer=OuterRef("pk"), placed_at__gt=OuterRef("last_solved"))
    counts = (
        Customer.objects.filter(pk__in=complaints.values("customer_id"))
        .annotate(last_solved=Subquery(last_solved))
        .annotate(rated_well=Exists(rated_well), bought=Exists(bought))
        .aggregate(whole=Count("pk"), part=Count("pk", filter=Q(rated_well=True) | Q(bought=True)))
    )
    return Rate(counts["part"], counts["whole"])


def _repeat(customers: QuerySet[Customer]) -> Rate:
    # Customer.order_count is kept by the order import, so no orders are summed here.
    counts = customers.filter(order_count__gte=1).aggregate(
        whole=Count("pk"), part=Count("pk", filter=Q(order_count__gte=2))
    )
    return Rate(counts["part"], counts["whole"])


def repeat_purchase(period: "Period", filters: "Filters") -> tuple[Rate, Rate]:
    """Of customers with orders, the share with two or more: complainers of the period
    against everyone else (in the chosen tier, if one is chosen)."""
    customers = Customer.objects.all()
    if filters.tier_id is not None:
        customers = customers.filter(tier_id=filters.tier_id)
    complainers = _repeat(
        customers.filter(pk__in=complaints_in(period, filters).values("customer_id"))
    )
    everyone = _repeat(customers)
    others = Rate(everyone.part - complainers.part, everyone.whole - complainers.whole)
    return complainers, others


def _sla(period: "Period", filters: "Filters") -> tuple[Rate, Rate, Rate]:
    """Decided SLA targets met, of conversations opened in the period: all, first
    response, resolution. The insights facts give the period, team and tier."""
    opened = ConversationFact.objects.filter(
        filters.q(), opened_on__range=(period.start, period.end)
    ).values("conversation_id")
    c = ConversationSla.objects.filter(conversation_id__in=opened).aggregate(
        first=Count("pk", filter=Q(first_response_met__isnull=False)),
        first_met=Count("pk", filter=Q(first_response_met=True)),
        resolution=Count("pk", filter=Q(resolution_met__isnull=False)),
        resolution_met=Count("pk", filter=Q(resolution_met=True)),
    )
    first = Rate(c["first_met"], c["first"])
    resolution = Rate(c["resolution_met"], c["resolution"])
    return Rate(first.part + resolution.part, first.whole + resolution.whole), first, resolution


def vip_health(period: "Period", now: datetime | None = None) -> VipHealth:
    """How the VIP tiers' customers are doing; follows the dates, not the team and tier."""
    tiers = list(Tier.objects.filter(slug__in=settings.VIP_TIERS).values_list("pk", flat=True))
    if not tiers:
        return VipHealth()
    start, end = window(period)
    vips = Customer.objects.filter(tier_id__in=tiers)
    health = VipHealth(customers=vips.count())
    # By status, not is_open: so the planner walks each VIP's conversations (customer
    # index) instead of every open conversation of the desk (the is_open queue index).
    health.open_complaints = Conversation.objects.filter(
        customer_id__in=vips.values("pk"), kind=Kind.COMPLAINT, status__in=OPEN_STATUSES
    ).count()
    health.sentiment = VoiceFact.objects.filter(
        tier_id__in=tiers, day__range=(period.start, period.end)
    ).aggregate(average=Avg("sentiment"))["average"]
    counts = Survey.objects.filter(
        kind=SurveyKind.CSAT,
        tier_id__in=tiers,
        answered_at__gte=start,
        answered_at__lt=end,
        score__isnull=False,
    ).aggregate(**ANSWER_COUNTS)
    health.csat = Answers(counts["answered"], counts["high"], counts["low"])
    # Breaches of VIP conversations opened in the period, found through the insights
    # facts (indexed by day) rather than a scan of every clock for its breach time.
    opened = ConversationFact.objects.filter(
        tier_id__in=tiers, opened_on__range=(period.start, period.end)
    ).values("conversation_id")
    health.breaches = ConversationSla.objects.filter(
        conversation_id__in=opened, breached_at__isnull=False
    ).count()
    quiet = _quiet(vips, (now or timezone.now()) - timedelta(days=QUIET_DAYS))
    health.quiet = list(quiet[:QUIET_SHOWN])
    health.quiet_count = quiet.count()
    return health


def _quiet(vips: QuerySet[Customer], cutoff: datetime) -> QuerySet[Customer]:
    """VIPs whose last message is older than `cutoff`, or who never wrote; longest first."""
    heard: Any = Max("conversations__last_customer_message_at")
    return (
        vips.annotate(last_heard=heard)
        .filter(Q(last_heard__isnull=True) | Q(last_heard__lt=cutoff))
        .order_by(F("last_heard").asc(nulls_first=True), "pk")
    )
