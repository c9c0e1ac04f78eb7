"""What the topic and alert pages (and the API) show, read from TopicVolume and voices.

Who may see it is decided by the callers (`listening.access`); these only count.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from everydesk.lib.charts import line_chart
from everydesk.listening import alerting, emerging
from everydesk.listening.models import Alert, Topic, TopicVolume
from everydesk.listening.volumes import hour_of

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Trend:
    """A topic's last 7 days against the 7 before: volume and mean sentiment."""

    volume: int = 0
    previous: int = 0
    sentiment_sum: float = 0.0
    previous_sentiment_sum: float = 0.0
    negative: int = 0

    @property
    def change(self) -> float | None:
        """Relative change of volume (0.5 = +50%), None without a previous week."""
        return (self.volume - self.previous) / self.previous if self.previous else None

    @property
    def sentiment(self) -> float | None:
        return round(self.sentiment_sum / self.volume, 2) if self.volume else None

    @property
    def previous_sentiment(self) -> float | None:
        return round(self.previous_sentiment_sum / self.previous, 2) if self.previous else None


def trends(topic_ids: list[int], now: dt.datetime | None = None) -> dict[int, Trend]:
    """One query for every listed topic's trend."""
    now = now or timezone.now()
    split = hour_of(now) + dt.timedelta(hours=1) - WEEK
    recent, before = Q(hour__gte=split), Q(hour__lt=split)
    rows = (
        TopicVolume.objects.filter(topic_id__in=topic_ids, hour__gte=split - WEEK)
        .values("topic_id")
        .annotate(
            recent_count=Sum("count", filter=recent, default=0),
            before_count=Sum("count", filter=before, default=0),
            recent_sentiment=Sum("sentiment_sum", filter=recent, default=0.0),
            before_sentiment=Sum("sentiment_sum", filter=before, default=0.0),
            recent_negative=Sum("negative_count", filter=recent, default=0),
        )
    )
    return {
        row["topic_id"]: Trend(
            volume=row["recent_count"],
            previous=row["before_count"],
            sentiment_sum=row["recent_sentiment"],
            previous_sentiment_sum=row["before_sentiment"],
            negative=row["recent_negative"],
        )
        for row in rows
    }


def daily(topic: Topic, *, days: int = 28, now: dt.datetime | None = None) -> dict[str, list]:
    """Per day (UTC) for the last `days`: voices, negative voices, mean sentiment."""
    now = now or timezone.now()
    first = (now - dt.timedelta(days=days - 1)).date()
    totals: dict[dt.date, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    rows = TopicVolume.objects.filter(
        topic=topic, hour__gte=dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    ).values_list("hour", "count", "negative_count", "sentiment_sum")
    for hour, count, negative, sentiment in rows:
        day = totals[hour.astimezone(dt.UTC).date()]
        day[0] += count
        day[1] += negative
        day[2] += sentiment
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    return {
        "labels": [d.strftime("%b %d") for d in dates],
        "voices": [int(totals[d][0]) for d in dates],
        "negative": [int(totals[d][1]) for d in dates],
        "sentiment": [
            round(totals[d][2] / totals[d][0], 2) if totals[d][0] else None for d in dates
        ],
    }


def topic_charts(topic: Topic) -> list[str]:
    """Voices (and negative ones) per day, and their mean sentiment, for four weeks."""
    days = daily(topic)
    series = {"Voices": days["voices"], "Negative": days["negative"]}
    return [
        line_chart("Voices per day, last 4 weeks", days["labels"], series),
        line_chart(
            "Mean sentiment per day (-1 to +1)",
            days["labels"],
            {"Sentiment": days["sentiment"]},
            height=200,
        ),
    ]


def alert_chart(alert: Alert, now: dt.datetime | None = None) -> str:
    """Observed against expected, hour by hour, from two days before the alert."""
    now = now or timezone.now()
    start = alerting.hour_index(alert.window_start) - 48
    until = alert.resolved_at or now
    end = min(alerting.hour_index(until) + 1, alerting.hour_index(alert.window_end) + 48)
    end = max(end, alerting.hour_index(alert.window_end))
    topics = live_and_merged_ids(alert.topic)
    detector = alerting.config(Topic.objects.filter(merged_into=None).count())
    lookback = start - emerging.WEEK * detector.weeks - 1
    series = alerting.load(start=lookback, end=end)
    own: dict[int, int] = defaultdict(int)
    for topic_id in topics:
        for hour, count in series.per_topic.get(topic_id, {}).items():
            own[hour] += count
    counts = emerging.HourlyCounts(own)
    others = emerging.HourlyCounts({h: c - own.get(h, 0) for h, c in series.total.items()})
    first = min(series.first_hour.get(t, end) for t in topics)
    expected = emerging.expected_series(
        counts, others, start=start, end=end, first_hour=first, config=detector
    )
    labels = [alerting.hour_at(h).strftime("%a %H:00") for h in range(start, end)]
    observed: list[float | None] = [counts.total(h, h + 1) for h in range(start, end)]
    return line_chart(
        "Voices per hour: observed and expected",
        labels,
        {"Observed": observed, "Expected": expected},
    )


def live_and_merged_ids(topic: Topic) -> list[int]:
    return [topic.pk, *Topic.objects.filter(merged_into=topic).values_list("pk", flat=True)]


def recent_alerts() -> QuerySet[Alert]:
    """Running alerts, then those resolved in the last 30 days."""
    cutoff = timezone.now() - dt.timedelta(days=30)
    return (
        Alert.objects.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=cutoff))
        .select_related("topic")
        .order_by("-detected_at", "-pk")
    )


def waiting_voices() -> int:
    """Scored voices that no topic has taken yet."""
    from everydesk.listening.models import Voice

    return Voice.objects.filter(topic__isnull=True, scored_at__isnull=False).count()
