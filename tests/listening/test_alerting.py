"""The hourly detection job: an alert opens on a rise, follows it, and resolves after."""

import datetime as dt

import pytest

from everydesk.listening import alerting, tasks
from everydesk.listening.models import Alert, AlertStatus, TopicVolume
from tests.listening.conftest import make_topic

pytestmark = pytest.mark.django_db

# A Monday; three weeks of ordinary traffic come before it.
NOW = dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC)
HISTORY_START = NOW - dt.timedelta(weeks=3)


def _ordinary(topic, *, per_hour: int = 1, until: dt.datetime = NOW) -> None:
    hour, rows = HISTORY_START, []
    while hour < until:
        if 9 <= hour.hour < 17:
            rows.append(TopicVolume(topic=topic, hour=hour, count=per_hour))
        hour += dt.timedelta(hours=1)
    TopicVolume.objects.bulk_create(rows)


def _set(topic, hour: dt.datetime, count: int) -> None:
    TopicVolume.objects.update_or_create(topic=topic, hour=hour, defaults={"count": count})


def test_ordinary_traffic_opens_no_alert():
    topic = make_topic(0)
    other = make_topic(1)
    _ordinary(topic, until=NOW + dt.timedelta(hours=12))
    _ordinary(other, per_hour=3, until=NOW + dt.timedelta(hours=12))
    report = alerting.run(NOW + dt.timedelta(hours=12))
    assert report.opened == []
    assert not Alert.objects.exists()


def test_a_rise_opens_one_alert_which_follows_it_and_resolves_after():
    topic = make_topic(0)
    _ordinary(topic, until=NOW + dt.timedelta(days=3))
    monday_9 = NOW + dt.timedelta(hours=9)
    for h in range(3):
        _set(topic, monday_9 + dt.timedelta(hours=h), 9)
    first = alerting.run(monday_9 + dt.timedelta(hours=3))
    assert len(first.opened) == 1
    alert = Alert.objects.get()
    assert (alert.topic_id, alert.status, alert.rule) == (topic.pk, AlertStatus.OPEN, "rise")
    assert alert.observed >= 27 and alert.expected < 10 and alert.score > 4
    assert alert.window_end == monday_9 + dt.timedelta(hours=3)

    _set(topic, monday_9 + dt.timedelta(hours=3), 9)
    again = alerting.run(monday_9 + dt.timedelta(hours=4))
    assert again.updated == [alert.pk] and again.opened == []
    alert.refresh_from_db()
    assert alert.window_end == monday_9 + dt.timedelta(hours=4)
    assert Alert.objects.count() == 1

    # Two days on, every window is back to its normal.
    later = alerting.run(NOW + dt.timedelta(days=2, hours=12))
    assert later.resolved == [alert.pk]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at is not None


def test_an_acknowledged_alert_keeps_running_and_is_not_doubled():
    topic = make_topic(0)
    _ordinary(topic, until=NOW + dt.timedelta(days=1))
    for h in range(9, 13):
        _set(topic, NOW + dt.timedelta(hours=h), 9)
    alerting.run(NOW + dt.timedelta(hours=12))
    Alert.objects.update(status=AlertStatus.ACKNOWLEDGED)
    alerting.run(NOW + dt.timedelta(hours=13))
    assert Alert.objects.count() == 1
    assert Alert.objects.get().status == AlertStatus.ACKNOWLEDGED


def test_a_brand_new_topic_alerts_once_it_is_busy_for_a_day(settings):
    settings.ALERT_NEW_TOPIC_DAILY = 10
    topic = make_topic(0)
    for h in range(10):
        _set(topic, NOW - dt.timedelta(hours=h + 1), 1)
    tasks.detect_emerging_issues.call_local()  # the periodic job itself, at the real now
    alerting.run(NOW)
    alert = Alert.objects.get(topic=topic)
    assert alert.rule == "new_topic" and alert.observed == 10


def test_the_database_refuses_a_second_running_alert_for_a_topic():
    from django.db import IntegrityError, transaction

    topic = make_topic(0)
    fields = {"window_start": NOW, "window_end": NOW, "observed": 9, "expected": 1, "score": 5}
    Alert.objects.create(topic=topic, **fields)
    Alert.objects.create(topic=topic, status=AlertStatus.RESOLVED, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(topic=topic, status=AlertStatus.ACKNOWLEDGED, **fields)
