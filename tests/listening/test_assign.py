"""listening.topics.assign: near voices join a topic and are counted once; far ones wait."""

import datetime as dt

import numpy as np
import pytest

from everydesk.listening import topics, vectors
from everydesk.listening.models import Topic, TopicVolume, Voice
from tests.listening.conftest import between, direction, make_topic, make_voice, near

pytestmark = pytest.mark.django_db(transaction=False)

AT = dt.datetime(2026, 11, 30, 9, 41, tzinfo=dt.UTC)


def test_a_voice_close_to_a_topic_joins_it_and_moves_its_centroid():
    topic = make_topic(0, voice_count=3)
    voice = make_voice("The refund never arrived", near(0), at=AT)
    topics.assign([voice])
    voice.refresh_from_db()
    topic.refresh_from_db()
    assert voice.topic_id == topic.pk
    assert topic.voice_count == 4
    centre = vectors.from_bytes(topic.centroid)
    assert np.isclose(np.linalg.norm(centre), 1.0, atol=1e-5)
    assert centre @ direction(0) < 1.0  # nudged towards the new voice


def test_a_voice_far_from_every_topic_waits_unassigned():
    make_topic(0)
    voice = make_voice("My password reset mail never comes", near(5), at=AT)
    topics.assign([voice])
    voice.refresh_from_db()
    assert voice.topic_id is None
    assert not TopicVolume.objects.exists()


def test_a_voice_halfway_between_two_topics_joins_neither_at_a_strict_threshold(settings):
    settings.TOPIC_JOIN_SIMILARITY = 0.8
    make_topic(0)
    make_topic(1)
    voice = make_voice("Refund for the broken lid", between(0, 1), at=AT)
    topics.assign([voice])
    voice.refresh_from_db()
    assert voice.topic_id is None


def test_the_nearest_topic_wins():
    make_topic(0)
    second = make_topic(1)
    voice = make_voice("Courier lost it", near(1), at=AT)
    topics.assign([voice])
    voice.refresh_from_db()
    assert voice.topic_id == second.pk


def test_unscored_voices_and_merged_topics_are_left_alone():
    target = make_topic(1)
    make_topic(0, merged_into=target)
    unscored = make_voice("Not scored yet", near(0), at=AT, scored=False)
    scored = make_voice("Scored", near(0), at=AT)
    topics.assign([unscored, scored])
    assert Voice.objects.filter(topic__isnull=False).count() == 0


def test_each_voice_is_counted_into_its_hour_once_even_if_assign_runs_twice():
    topic = make_topic(0)
    first = make_voice("Charged twice", near(0), at=AT, sentiment=-0.8)
    second = make_voice("Double charge again", near(0), at=AT + dt.timedelta(minutes=5))
    happy = make_voice("Refund came fast, thanks", near(0), at=AT, sentiment=0.6)
    topics.assign([first, second, happy])
    # A retried job hands over fresh copies of the same rows.
    topics.assign(list(Voice.objects.filter(pk__in=[first.pk, second.pk, happy.pk])))
    stale = Voice.objects.get(pk=first.pk)
    stale.topic_id = None  # a copy read before the first run committed
    topics.assign([stale])
    volume = TopicVolume.objects.get(topic=topic)
    assert volume.hour == AT.replace(minute=0)
    assert volume.count == 3
    assert volume.negative_count == 2
    assert volume.sentiment_sum == pytest.approx(-0.8 - 0.5 + 0.6)
    assert Topic.objects.get(pk=topic.pk).voice_count == 3


def test_voices_in_different_hours_count_into_different_rows():
    topic = make_topic(0)
    make = [make_voice("late", near(0), at=AT + dt.timedelta(hours=h)) for h in (0, 0, 1, 5)]
    topics.assign(make)
    counts = dict(TopicVolume.objects.filter(topic=topic).values_list("hour", "count"))
    assert counts == {
        AT.replace(minute=0): 2,
        AT.replace(minute=0) + dt.timedelta(hours=1): 1,
        AT.replace(minute=0) + dt.timedelta(hours=5): 1,
    }
