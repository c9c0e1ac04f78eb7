"""People edit topics: rename, pin, merge, split, move voices; counts and audit follow."""

import datetime as dt

import pytest

from everydesk.lib.errors import ActionError
from everydesk.listening import actions, topics
from everydesk.listening.models import Alert, AlertStatus, Topic, TopicChange, TopicVolume, Voice
from tests.listening.conftest import make_topic, make_voice, near

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _filled(theme: int, texts: list[str], *, hour: int = 0) -> Topic:
    topic = make_topic(theme)
    voices = [make_voice(t, near(theme), at=AT + dt.timedelta(hours=hour)) for t in texts]
    topics.assign(voices)
    topic.refresh_from_db()
    return topic


def _counts(topic: Topic) -> dict:
    return dict(TopicVolume.objects.filter(topic=topic).values_list("hour", "count"))


def test_a_rename_is_kept_and_audited(manager):
    topic = _filled(0, ["charged twice", "double charge"])
    actions.rename_topic(topic=topic, actor=manager, name="  Double  charges ")
    topic.refresh_from_db()
    assert (topic.name, topic.named_by_person) == ("Double charges", True)
    change = TopicChange.objects.get(topic=topic, action="renamed")
    assert change.actor == manager
    assert change.detail == {"old": "theme 0", "new": "Double charges"}
    topics.rename([topic])
    topic.refresh_from_db()
    assert topic.name == "Double charges"


def test_an_empty_name_is_refused(manager):
    topic = make_topic(0)
    with pytest.raises(ActionError) as refused:
        actions.rename_topic(topic=topic, actor=manager, name="   ")
    assert refused.value.field == "name"
    assert Topic.objects.get(pk=topic.pk).name == "theme 0"


def test_pinning_and_unpinning_are_audited(manager):
    topic = make_topic(0)
    actions.set_pinned(topic=topic, actor=manager, pinned=True)
    assert Topic.objects.get(pk=topic.pk).is_pinned
    actions.set_pinned(topic=topic, actor=manager, pinned=False)
    assert list(
        TopicChange.objects.filter(topic=topic).order_by("pk").values_list("action", flat=True)
    ) == [
        "pinned",
        "unpinned",
    ]


def test_a_merge_moves_voices_and_counts_and_points_the_source_at_its_target(manager):
    source = _filled(0, ["lost parcel", "parcel lost"], hour=0)
    target = _filled(1, ["courier late", "courier never came", "late again"], hour=0)
    alert = Alert.objects.create(
        topic=source, window_start=AT, window_end=AT, observed=2, expected=0.1, score=5
    )
    actions.merge_topics(source=source, target=target, actor=manager)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into_id == target.pk and source.voice_count == 0
    assert target.voice_count == 5 and Voice.objects.filter(topic=target).count() == 5
    assert _counts(target) == {AT: 5}
    assert _counts(source) == {}
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.RESOLVED
    assert TopicChange.objects.filter(topic=source, action="merged", detail__into=target.pk)


def test_a_topic_cannot_merge_into_itself_or_into_a_merged_one(manager):
    first, second, third = make_topic(0), make_topic(1), make_topic(2)
    with pytest.raises(ActionError):
        actions.merge_topics(source=first, target=first, actor=manager)
    actions.merge_topics(source=second, target=third, actor=manager)
    with pytest.raises(ActionError) as refused:
        actions.merge_topics(source=first, target=second, actor=manager)
    assert refused.value.code == "conflict"


def test_the_machine_never_merges_a_pinned_topic():
    pinned = make_topic(0, is_pinned=True)
    other = make_topic(0)
    with pytest.raises(ActionError):
        actions.merge_topics(source=pinned, target=other, actor=None)
    assert Topic.objects.get(pk=pinned.pk).merged_into_id is None


def test_a_split_reclusters_voices_into_parts_and_the_counts_follow(manager):
    topic = make_topic(0)
    refunds = [make_voice("refund charged twice", near(0), at=AT) for _ in range(4)]
    parcels = [
        make_voice("parcel crushed courier", near(1), at=AT + dt.timedelta(hours=1))
        for _ in range(3)
    ]
    for voice in refunds + parcels:
        Voice.objects.filter(pk=voice.pk).update(topic=topic)
    topics.refresh(topic)
    TopicVolume.objects.create(topic=topic, hour=AT, count=4, negative_count=4, sentiment_sum=-2)
    TopicVolume.objects.create(
        topic=topic, hour=AT + dt.timedelta(hours=1), count=3, negative_count=3, sentiment_sum=-1.5
    )
    kept, new = actions.split_topic(topic=topic, actor=manager, parts=2)
    assert kept.pk == topic.pk
    assert set(Voice.objects.filter(topic=kept).values_list("pk", flat=True)) == {
        v.pk for v in refunds
    }
    assert set(Voice.objects.filter(topic=new).values_list("pk", flat=True)) == {
        v.pk for v in parcels
    }
    assert _counts(kept) == {AT: 4}
    assert _counts(new) == {AT + dt.timedelta(hours=1): 3}
    assert TopicVolume.objects.get(topic=new).sentiment_sum == pytest.approx(-1.5)
    assert (kept.voice_count, Topic.objects.get(pk=new.pk).voice_count) == (4, 3)
    assert "crushed" in Topic.objects.get(pk=new.pk).keywords or "parcel" in new.name
    assert TopicChange.objects.filter(topic=kept, action="split", detail__into=[new.pk])


def test_a_split_needs_enough_voices(manager):
    topic = _filled(0, ["one", "two", "three"])
    with pytest.raises(ActionError) as refused:
        actions.split_topic(topic=topic, actor=manager, parts=2)
    assert "needs 4" in refused.value.message


def test_chosen_voices_move_to_a_new_topic_with_the_given_name(manager):
    topic = _filled(0, ["refund late", "refund missing", "gift card broken"])
    moving = Voice.objects.get(text="gift card broken")
    new = actions.move_voices_to_new_topic(
        topic=topic, voice_ids=[moving.pk], actor=manager, name="Gift cards"
    )
    new.refresh_from_db()
    assert (new.name, new.named_by_person, new.voice_count) == ("Gift cards", True, 1)
    assert Topic.objects.get(pk=topic.pk).voice_count == 2
    assert _counts(topic) == {AT: 2} and _counts(new) == {AT: 1}


def test_moving_no_voices_or_every_voice_is_refused(manager):
    topic = _filled(0, ["refund late", "refund missing"])
    with pytest.raises(ActionError):
        actions.move_voices_to_new_topic(topic=topic, voice_ids=[], actor=manager)
    every = list(topic.voices.values_list("pk", flat=True))
    with pytest.raises(ActionError):
        actions.move_voices_to_new_topic(topic=topic, voice_ids=every, actor=manager)
    assert Topic.objects.count() == 1
