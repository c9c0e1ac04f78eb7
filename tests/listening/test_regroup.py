"""Regrouping turns clusters of waiting voices into named topics and keeps history."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from everydesk.listening import regrouping, vectors
from everydesk.listening import topics as topics_module
from everydesk.listening.models import EmbeddingCentre, Topic, TopicChange, TopicVolume, Voice
from tests.listening.conftest import direction, make_topic, make_voice, near

pytestmark = pytest.mark.django_db

REFUNDS = [
    "I was charged twice for order 1042, please refund the second charge",
    "My card was charged twice, I want a refund",
    "Charged twice again for the same order, refund please",
    "Why was I charged twice? Refund the duplicate payment",
    "You charged twice on my card, where is my refund",
]
PARCELS = [
    "The courier left my parcel in the rain and the box was crushed",
    "Parcel arrived crushed, the courier threw it over the fence",
    "Courier damaged the parcel, the box is crushed on one side",
    "My parcel came crushed and wet, the courier did not ring",
]


def _waiting(texts, theme, hours_ago=1):
    at = timezone.now() - dt.timedelta(hours=hours_ago)
    return [make_voice(text, near(theme), at=at) for text in texts]


def test_waiting_voices_that_cluster_become_topics_named_by_their_key_words():
    _waiting(REFUNDS, 0)
    _waiting(PARCELS, 1)
    make_voice("Do you ship to Iceland?", near(9))  # alone: keeps waiting
    report = regrouping.regroup()
    assert len(report.created) == 2
    refunds = Topic.objects.get(voices__text=REFUNDS[0])
    parcels = Topic.objects.get(voices__text=PARCELS[0])
    assert refunds.voice_count == 5 and parcels.voice_count == 4
    assert "charged twice" in refunds.name and "refund" in refunds.name
    assert "crushed" in parcels.name or "courier" in parcels.name
    assert 2 <= len(refunds.name.replace(" · ", " ").split()) <= 4
    assert "please" not in refunds.keywords  # stop words never name anything
    assert Voice.objects.get(text="Do you ship to Iceland?").topic_id is None
    assert report.waiting == 1
    assert TopicVolume.objects.filter(topic=refunds).values_list("count", flat=True).get() == 5
    assert TopicChange.objects.filter(topic=refunds, action="created", actor=None).exists()


def test_waiting_voices_first_try_the_topics_that_exist():
    existing = make_topic(0, name="Refunds", named_by_person=True)
    _waiting(REFUNDS, 0)
    report = regrouping.regroup()
    assert report.joined == 5 and report.created == []
    existing.refresh_from_db()
    assert existing.voice_count == 5
    assert existing.name == "Refunds"  # a person's name stays
    assert "charged twice" in existing.keywords  # key words still follow the voices


def test_regrouping_again_keeps_ids_and_adds_new_topics_beside_them():
    _waiting(REFUNDS, 0)
    first = regrouping.regroup().created
    _waiting(PARCELS, 1)
    second = regrouping.regroup().created
    assert len(first) == 1 and len(second) == 1
    assert Topic.objects.filter(pk=first[0], merged_into=None).exists()
    assert Voice.objects.filter(topic_id=first[0]).count() == 5


def test_near_duplicate_automatic_topics_merge_into_the_larger_but_pinned_ones_stay(settings):
    settings.TOPIC_MERGE_SIMILARITY = 0.95
    big = make_topic(0, voice_count=0)
    twin = make_topic(0, voice_count=0)
    pinned = make_topic(0, is_pinned=True)
    named = make_topic(0, name="Billing", named_by_person=True)
    for topic, count in ((big, 3), (twin, 1)):
        for _ in range(count):
            voice = make_voice("charged twice", direction(0))
            Voice.objects.filter(pk=voice.pk).update(topic=topic)
        Topic.objects.filter(pk=topic.pk).update(voice_count=count)
    report = regrouping.regroup()
    assert report.merged == [(twin.pk, big.pk)]
    twin.refresh_from_db()
    assert twin.merged_into_id == big.pk
    assert Topic.objects.filter(pk=twin.pk).exists()  # never deleted
    assert Topic.objects.get(pk=pinned.pk).merged_into_id is None
    assert Topic.objects.get(pk=named.pk).merged_into_id is None
    assert Voice.objects.filter(topic=big).count() == 4


def test_the_topics_command_regroups_and_lists(capsys):
    _waiting(REFUNDS, 0)
    call_command("topics", "--regroup")
    call_command("topics")
    out = capsys.readouterr().out
    assert "1 new topics" in out
    assert "charged twice" in out


def test_once_there_are_enough_voices_their_common_direction_is_taken_out(settings):
    """Embeddings that share a strong common direction (the same product names, the same
    politeness) look alike until the centre is taken out; then the themes separate."""
    settings.TOPIC_JOIN_SIMILARITY = 0.6
    common = 1.6 * direction(31)
    at = timezone.now() - dt.timedelta(hours=2)
    for theme in range(5):
        for n in range(topics_module.CENTRE_MIN_VOICES // 5):
            vector = vectors.unit(common + near(theme, spread=0.3))
            make_voice(f"theme{theme} word{theme} number {n}", vector, at=at)
    raw = vectors.unit(common + direction(0)) @ vectors.unit(common + direction(1))
    assert raw > 0.6  # without the centre, two themes would make one topic
    report = regrouping.regroup()
    assert EmbeddingCentre.objects.count() == 1
    assert len(report.created) == 5
    for topic in Topic.objects.all():
        themes = {text.split()[0] for text in topic.voices.values_list("text", flat=True)}
        assert len(themes) == 1
        assert topic.voice_count == topics_module.CENTRE_MIN_VOICES // 5
    # New voices are compared in the same space: a theme-2 voice joins theme 2's topic.
    late = make_voice("theme2 again", vectors.unit(common + near(2, spread=0.3)))
    topics_module.assign([late])
    late.refresh_from_db()
    assert late.topic.voices.exclude(pk=late.pk).first().text.startswith("theme2")


def test_the_hourly_job_regroups():
    from everydesk.listening import tasks

    _waiting(REFUNDS, 0)
    tasks.regroup_topics.call_local()
    assert Topic.objects.filter(voices__text=REFUNDS[0]).exists()
