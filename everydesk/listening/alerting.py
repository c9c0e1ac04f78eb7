"""The hourly detection run: read TopicVolume, ask `emerging`, keep one alert per topic.

An alert opens when a topic's window fires, is updated while later windows keep
firing (its window grows, its figures are the latest window's), and resolves when no
window is unusual any more. Acknowledged alerts keep running the same way.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from everydesk.listening import emerging
from everydesk.listening.models import (
    ACTIVE_ALERT_STATUSES,
    Alert,
    AlertRule,
    AlertStatus,
    Topic,
    TopicVolume,
)
from everydesk.listening.topics import live_topics

HOUR = dt.timedelta(hours=1)


def hour_index(moment: dt.datetime) -> int:
    return int(moment.timestamp() // 3600)


def hour_at(index: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(index * 3600, tz=dt.UTC)


def config(topics: int) -> emerging.DetectorConfig:
    windows = emerging.DetectorConfig.windows
    return emerging.DetectorConfig(
        alpha=emerging.alpha_for(settings.ALERT_FALSE_ALARMS_PER_MONTH, topics, len(windows)),
        weeks=settings.ALERT_HISTORY_WEEKS,
        min_count=settings.ALERT_MIN_COUNT,
        new_topic_daily=settings.ALERT_NEW_TOPIC_DAILY,
    )


@dataclass
class Series:
    """Every live topic's hourly counts over the detector's look-back, and where each began."""

    per_topic: dict[int, dict[int, int]]
    first_hour: dict[int, int]
    total: dict[int, int] = field(default_factory=dict)

    def counts(self, topic_id: int) -> emerging.HourlyCounts:
        return emerging.HourlyCounts(self.per_topic.get(topic_id, {}))

    def others(self, topic_id: int) -> emerging.HourlyCounts:
        own = self.per_topic.get(topic_id, {})
        return emerging.HourlyCounts({h: c - own.get(h, 0) for h, c in self.total.items()})


def load(*, start: int, end: int, topic_ids: list[int] | None = None) -> Series:
    live = live_topics().values_list("pk", flat=True)
    rows = TopicVolume.objects.filter(
        topic_id__in=live, hour__gte=hour_at(start), hour__lt=hour_at(end)
    ).values_list("topic_id", "hour", "count")
    per_topic: dict[int, dict[int, int]] = defaultdict(dict)
    total: dict[int, int] = defaultdict(int)
    for topic_id, hour, count in rows.iterator(chunk_size=5000):
        index = hour_index(hour)
        total[index] += count
        if topic_ids is None or topic_id in topic_ids:
            per_topic[topic_id][index] = count
    firsts = TopicVolume.objects.filter(topic_id__in=live, count__gt=0)
    if topic_ids is not None:
        firsts = firsts.filter(topic_id__in=topic_ids)
    first_hour = {
        topic_id: hour_index(first)
        for topic_id, first in firsts.values("topic_id")
        .annotate(first=Min("hour"))
        .values_list("topic_id", "first")
    }
    return Series(dict(per_topic), first_hour, dict(total))


@dataclass
class DetectionReport:
    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)


def run(now: dt.datetime | None = None) -> DetectionReport:
    """Judge every live topic on the complete hours before `now`."""
    now = now or timezone.now()
    end = hour_index(now)
    topic_ids = list(live_topics().values_list("pk", flat=True))
    detector = config(len(topic_ids))
    lookback = max(detector.windows) + emerging.WEEK * detector.weeks
    series = load(start=end - lookback, end=end)
    report = DetectionReport()
    running = dict(
        Alert.objects.filter(status__in=ACTIVE_ALERT_STATUSES).values_list("topic_id", "pk")
    )
    for topic_id in topic_ids:
        if topic_id not in series.first_hour and topic_id not in running:
            continue  # never had a voice: nothing to judge
        assessment = emerging.assess(
            series.counts(topic_id),
            series.others(topic_id),
            end=end,
            first_hour=series.first_hour.get(topic_id, end),
            config=detector,
        )
        if emerging.next_step(topic_id in running, assessment):
            _apply(topic_id, assessment, now, report)
    return report


@transaction.atomic
def _apply(
    topic_id: int, assessment: emerging.Assessment, now: dt.datetime, report: DetectionReport
) -> None:
    # The topic row is the lock that keeps one running alert per topic.
    Topic.objects.select_for_update().filter(pk=topic_id).first()
    alert = (
        Alert.objects.filter(topic_id=topic_id, status__in=ACTIVE_ALERT_STATUSES)
        .order_by("-detected_at")
        .first()
    )
    window = assessment.firing
    if window is None:
        if alert is not None and assessment.normal:
            alert.status, alert.resolved_at, alert.updated_at = AlertStatus.RESOLVED, now, now
            alert.save(update_fields=["status", "resolved_at", "updated_at"])
            report.resolved.append(alert.pk)
        return
    figures = {
        "rule": AlertRule(assessment.rule or AlertRule.RISE),
        "window_end": hour_at(window.end),
        "observed": window.observed,
        "expected": round(window.expected, 3),
        "window_hours": window.hours,
        "score": round(window.score, 3) if assessment.rule == AlertRule.RISE else 0.0,
        "updated_at": now,
    }
    if alert is None:
        alert = Alert.objects.create(
            topic_id=topic_id, window_start=hour_at(window.start), detected_at=now, **figures
        )
        report.opened.append(alert.pk)
        return
    for name, value in figures.items():
        setattr(alert, name, value)
    alert.window_start = min(alert.window_start, hour_at(window.start))
    alert.save(update_fields=[*figures, "window_start"])
    report.updated.append(alert.pk)
