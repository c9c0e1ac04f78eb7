"""The figures for one period and filters: the dashboard, the digest email and the PDF
all call `compute()`, so they can never disagree. Reads rollups only (docs/insights.md).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, Sum

from everydesk.conversations.models import Channel, Kind
from everydesk.insights.models import (
    DURATION_BOUNDS,
    DailyDuration,
    DailyFigures,
    DailyTopicVolume,
    Measure,
    VoiceFact,
)
from everydesk.listening.models import Alert, AlertStatus, Voice
from everydesk.recovery import figures as loyalty_figures
from everydesk.recovery.figures import Loyalty

TOP_TOPICS = 8
MOVERS = 5
OPEN_ALERTS = 10
RECENT_PRAISE = 5
# Longer periods are charted per week, then per month, so a bar stays wide enough to
# read (and a year is 12 bars to draw, not 365).
DAILY_UP_TO = 31
WEEKLY_UP_TO = 120


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def label(self) -> str:
        return f"{self.start:%-d %b %Y} \N{EN DASH} {self.end:%-d %b %Y}"


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    tier_id: int | None = None
    team_name: str = ""
    tier_name: str = ""

    def describe(self) -> str:
        parts = [f"team {self.team_name}" if self.team_id else "all teams"]
        parts.append(f"tier {self.tier_name}" if self.tier_id else "all tiers")
        return ", ".join(parts)

    def q(self) -> Q:
        q = Q()
        if self.team_id is not None:
            q &= Q(team_id=self.team_id)
        if self.tier_id is not None:
            q &= Q(tier_id=self.tier_id)
        return q


@dataclass(frozen=True)
class Compared:
    """A figure this period and the previous equal period."""

    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """Relative change (0.25 = +25%); None when there is nothing to compare with."""
        if self.current is None or not self.previous:
            return None
        return (self.current - self.previous) / self.previous

    @property
    def difference(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class TopicFigure:
    topic_id: int
    name: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class Praise:
    text: str
    conversation_id: int | None
    customer: str
    staff: str
    created_at: datetime


@dataclass
class Figures:
    period: Period
    previous_period: Period
    filters: Filters
    opened: Compared
    solved: Compared
    voices: Compared
    sentiment: Compared  # average, -1..1
    negative_share: Compared  # 0..1 of scored voices
    praise: Compared
    first_response_median: Compared  # seconds
    first_response_average: Compared
    resolution_median: Compared
    resolution_average: Compared
    csat: Compared  # share (0..1) of answered CSAT surveys that gave 4 or 5
    nps: Compared  # % promoters - % detractors
    recovery_rate: Compared  # 0..1 of the period's complainers (recovery/figures.py)
    sla_attainment: Compared  # 0..1 of decided SLA targets met
    loyalty: Loyalty
    per: str = "day"  # one bar per day, week or month
    labels: list[str] = field(default_factory=list)
    opened_by_kind: dict[str, list[float | None]] = field(default_factory=dict)
    opened_by_channel: dict[str, list[float | None]] = field(default_factory=dict)
    sentiment_trend: list[float | None] = field(default_factory=list)
    top_topics: list[TopicFigure] = field(default_factory=list)
    movers: list[TopicFigure] = field(default_factory=list)
    open_alerts: list[Alert] = field(default_factory=list)
    recent_praise: list[Praise] = field(default_factory=list)


SUMS = {
    name: Sum(name)
    for name in (
        "opened",
        "solved",
        "voices",
        "sentiment_sum",
        "negative",
        "praise",
        "first_responses",
        "first_response_seconds",
        "resolutions",
        "resolution_seconds",
    )
}


def compute(period: Period, filters: Filters) -> Figures:
    """Every figure of the dashboard and the digest, each against the previous period."""
    previous = period.previous()
    rows = _daily_rows(period, filters)
    now = _totals(rows)
    before = _totals(
        [
            DailyFigures.objects.filter(
                filters.q(), day__range=(previous.start, previous.end)
            ).aggregate(**SUMS)
        ]
    )
    medians = _medians(period, previous, filters)
    loyalty = loyalty_figures.compute(period, filters, buckets_of(period))
    figures = Figures(
        period=period,
        previous_period=previous,
        filters=filters,
        opened=Compared(now["opened"], before["opened"]),
        solved=Compared(now["solved"], before["solved"]),
        voices=Compared(now["voices"], before["voices"]),
        sentiment=Compared(_ratio(now, "sentiment_sum"), _ratio(before, "sentiment_sum")),
        negative_share=Compared(_ratio(now, "negative"), _ratio(before, "negative")),
        praise=Compared(now["praise"], before["praise"]),
        first_response_median=medians[Measure.FIRST_RESPONSE],
        first_response_average=Compared(
            _average(now, "first_response"), _average(before, "first_response")
        ),
        resolution_median=medians[Measure.RESOLUTION],
        resolution_average=Compared(_average(now, "resolution"), _average(before, "resolution")),
        csat=Compared(loyalty.csat.csat, loyalty.csat_before.csat),
        nps=Compared(loyalty.nps.nps, loyalty.nps_before.nps),
        recovery_rate=Compared(loyalty.recovery.value, loyalty.recovery_before.value),
        sla_attainment=Compared(loyalty.sla.value, loyalty.sla_before.value),
        loyalty=loyalty,
    )
    _series(figures, rows)
    figures.top_topics, figures.movers = _topics(period, previous)
    figures.open_alerts = list(
        Alert.objects.filter(status=AlertStatus.OPEN)
        .select_related("topic")
        .order_by("-detected_at")[:OPEN_ALERTS]
    )
    figures.recent_praise = _recent_praise(period, filters)
    return figures


def _daily_rows(period: Period, filters: Filters) -> list[dict[str, Any]]:
    return list(
        DailyFigures.objects.filter(filters.q(), day__range=(period.start, period.end))
        .values("day", "kind", "channel")
        .annotate(**SUMS)
        .order_by()
    )


def _totals(rows: list[dict[str, Any]]) -> dict[str, float]:
    return {name: sum(row[name] or 0 for row in rows) for name in SUMS}


def _ratio(totals: dict[str, float], name: str) -> float | None:
    return totals[name] / totals["voices"] if totals["voices"] else None


def _average(totals: dict[str, float], measure: str) -> float | None:
    count = totals[f"{measure}s"]
    return totals[f"{measure}_seconds"] / count if count else None


def median_of_buckets(counts: dict[int, int]) -> float | None:
    """The median duration read from bucket counts, interpolated inside its bucket."""
    total = sum(counts.values())
    if not total:
        return None
    half, seen = total / 2, 0
    for bucket in range(len(DURATION_BOUNDS) + 1):
        n = counts.get(bucket, 0)
        if n and seen + n >= half:
            low = DURATION_BOUNDS[bucket - 1] if bucket else 0
            high = DURATION_BOUNDS[bucket] if bucket < len(DURATION_BOUNDS) else low * 2
            return low + (high - low) * (half - seen) / n
        seen += n
    return None


def _medians(period: Period, previous: Period, filters: Filters) -> dict[str, Compared]:
    rows = (
        DailyDuration.objects.filter(filters.q(), day__range=(previous.start, period.end))
        .values("measure", "bucket")
        .annotate(
            now=Sum("count", filter=Q(day__gte=period.start)),
            before=Sum("count", filter=Q(day__lt=period.start)),
        )
        .order_by()
    )
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for row in rows:
        for which in ("now", "before"):
            counts.setdefault((row["measure"], which), {})[row["bucket"]] = row[which] or 0
    return {
        measure: Compared(
            median_of_buckets(counts.get((measure, "now"), {})),
            median_of_buckets(counts.get((measure, "before"), {})),
        )
        for measure in Measure.values
    }


def granularity(period: Period) -> str:
    if period.days <= DAILY_UP_TO:
        return "day"
    return "week" if period.days <= WEEKLY_UP_TO else "month"


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def buckets_of(period: Period) -> list[tuple[date, date]]:
    """The chart's bars: per day, per 7 days or per calendar month, by the period's length."""
    per = granularity(period)
    out, start = [], period.start
    while start <= period.end:
        if per == "month":
            following = _next_month(start)
        else:
            following = start + timedelta(days=1 if per == "day" else 7)
        out.append((start, min(period.end, following - timedelta(days=1))))
        start = following
    return out


def label_of(start: date, per: str) -> str:
    if per == "month":
        return f"{start:%b %Y}"
    return f"{start:%-d %b}" if per == "day" else f"wk {start:%-d %b}"


def _series(figures: Figures, rows: list[dict[str, Any]]) -> None:
    buckets = buckets_of(figures.period)
    index = {}
    for i, (start, end) in enumerate(buckets):
        for offset in range((end - start).days + 1):
            index[start + timedelta(days=offset)] = i
    figures.per = granularity(figures.period)
    figures.labels = [label_of(start, figures.per) for start, _ in buckets]
    by_kind: dict[str, list[float | None]] = {k: [0.0] * len(buckets) for k in Kind.values}
    by_channel: dict[str, list[float | None]] = {c: [0.0] * len(buckets) for c in Channel.values}
    sentiment = [0.0] * len(buckets)
    voices = [0] * len(buckets)
    for row in rows:
        i = index[row["day"]]
        for series, key in ((by_kind, row["kind"]), (by_channel, row["channel"])):
            values = series.setdefault(key, [0.0] * len(buckets))
            values[i] = (values[i] or 0.0) + (row["opened"] or 0)
        sentiment[i] += row["sentiment_sum"] or 0
        voices[i] += row["voices"] or 0
    kinds, channels = dict(Kind.choices), dict(Channel.choices)
    figures.opened_by_kind = {str(kinds.get(k, k)): v for k, v in by_kind.items() if any(v)}
    figures.opened_by_channel = {
        str(channels.get(c, c)): v for c, v in by_channel.items() if any(v)
    }
    figures.sentiment_trend = [
        round(s / n, 3) if n else None for s, n in zip(sentiment, voices, strict=True)
    ]


def _topics(period: Period, previous: Period) -> tuple[list[TopicFigure], list[TopicFigure]]:
    """Top topics by volume and the biggest movers against the previous period.

    Topic volumes are counted for the whole desk (listening.TopicVolume, summed per
    day into DailyTopicVolume): they follow the date range but not the team and tier
    filters.
    """
    rows = (
        DailyTopicVolume.objects.filter(
            day__range=(previous.start, period.end), topic__merged_into__isnull=True
        )
        .values("topic_id", "topic__name")
        .annotate(
            now=Sum("count", filter=Q(day__gte=period.start)),
            before=Sum("count", filter=Q(day__lt=period.start)),
        )
        .order_by()
    )
    topics = [
        TopicFigure(r["topic_id"], r["topic__name"], r["now"] or 0, r["before"] or 0) for r in rows
    ]
    top = sorted((t for t in topics if t.count), key=lambda t: (-t.count, t.name))[:TOP_TOPICS]
    movers = sorted((t for t in topics if t.change), key=lambda t: (-abs(t.change), t.name))[
        :MOVERS
    ]
    return top, movers


def _recent_praise(period: Period, filters: Filters) -> list[Praise]:
    ids = list(
        VoiceFact.objects.filter(
            filters.q(), kind=Kind.PRAISE, day__range=(period.start, period.end)
        )
        .order_by("-created_at")
        .values_list("voice_id", flat=True)[:RECENT_PRAISE]
    )
    voices = Voice.objects.filter(pk__in=ids).select_related("customer", "conversation__assignee")
    out = []
    for voice in sorted(voices, key=lambda v: v.created_at, reverse=True):
        assignee = voice.conversation.assignee if voice.conversation else None
        out.append(
            Praise(
                text=voice.text,
                conversation_id=voice.conversation_id,
                customer=str(voice.customer) if voice.customer else "",
                staff=assignee.display_name if assignee else "",
                created_at=voice.created_at,
            )
        )
    return out
