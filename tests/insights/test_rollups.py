"""The minute job counts exactly what the actions did, once, however often it runs."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind, Status
from everydesk.insights import rollups
from everydesk.insights.models import DailyDuration, DailyFigures, Measure, Watermark
from everydesk.listening.models import Voice
from tests.insights.conftest import COMPLAINT, PRAISE, scored_voice

pytestmark = pytest.mark.django_db

COLUMNS = [f.name for f in DailyFigures._meta.fields if f.name != "id"]


def totals() -> dict[str, float]:
    return DailyFigures.objects.aggregate(**{name: Sum(name) for name in COLUMNS[5:]})


def snapshot() -> list[tuple[object, ...]]:
    rows = DailyFigures.objects.order_by(*COLUMNS[:5]).values_list(*COLUMNS)
    durations = DailyDuration.objects.order_by("day", "measure", "bucket", "team_id").values_list(
        "day", "team_id", "tier_id", "measure", "bucket", "count"
    )
    return [*rows, *durations]


def later(minutes: int) -> object:
    return timezone.now() + timedelta(minutes=minutes)


def test_job_counts_what_the_actions_did_and_the_same_twice(conversation, agent, customer, billing):
    rollups.refresh()  # first run: builds from scratch and sets the watermarks
    second = actions.open_conversation(
        customer=customer, subject="Where is my refund?", body="Still waiting.", kind=Kind.QUESTION
    )
    actions.add_reply(
        conversation=conversation, author=agent, body="Sorry! A new lamp is on its way."
    )
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    actions.set_team(conversation=second, actor=agent, team=billing)

    rollups.refresh(now=later(1))
    once = snapshot()
    rollups.refresh(now=later(2))
    assert snapshot() == once

    figures = totals()
    assert figures["opened"] == 2
    assert figures["solved"] == 1
    assert figures["first_responses"] == 1
    assert figures["resolutions"] == 1
    conversation.refresh_from_db()
    expected = int((conversation.first_response_at - conversation.created_at).total_seconds())
    assert figures["first_response_seconds"] == expected
    team_row = DailyFigures.objects.get(team_id=billing.pk)
    assert (team_row.opened, team_row.kind) == (1, Kind.QUESTION)
    assert DailyDuration.objects.filter(measure=Measure.FIRST_RESPONSE).aggregate(
        n=Sum("count")
    ) == {"n": 1}


def test_reopening_moves_the_solved_count_back(conversation, agent, customer):
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    rollups.refresh()
    assert totals()["solved"] == 1
    actions.add_customer_message(
        conversation=conversation, customer=customer, body="It broke again."
    )
    rollups.refresh(now=later(1))
    assert totals()["solved"] == 0
    assert totals()["opened"] == 1


def test_merged_duplicate_counts_once(conversation, agent, customer):
    duplicate = actions.open_conversation(
        customer=customer, subject="Broken lamp again", body="Same as before.", kind=Kind.COMPLAINT
    )
    rollups.refresh()
    assert totals()["opened"] == 2
    actions.merge(source=duplicate, target=conversation, actor=agent)
    rollups.refresh(now=later(1))
    assert totals()["opened"] == 1


def test_scored_voices_are_counted_with_their_sentiment(conversation):
    rollups.refresh()
    now = timezone.now()
    scored_voice(conversation, text=PRAISE, created_at=now - timedelta(hours=1))
    scored_voice(conversation, text=COMPLAINT, created_at=now - timedelta(hours=1))
    rollups.refresh(now=now)
    rollups.refresh(now=now + timedelta(minutes=1))
    scored = Voice.objects.filter(scored_at__isnull=False)
    figures = totals()
    assert figures["voices"] == scored.count()
    assert figures["sentiment_sum"] == pytest.approx(scored.aggregate(s=Sum("sentiment"))["s"])
    assert figures["praise"] == scored.filter(kind=Kind.PRAISE).count() >= 1
    assert figures["negative"] == scored.filter(sentiment_label="negative").count() >= 1


def _free_ids() -> int:
    """A base for hand-picked voice ids above every id taken so far (PostgreSQL's
    sequences are not rolled back between tests, so fixed numbers could collide)."""
    return (Voice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


def test_a_row_committed_late_behind_the_watermark_is_still_counted_once(conversation):
    rollups.refresh()
    now, base = timezone.now(), _free_ids()
    scored_voice(conversation, created_at=now, id=base + 500)
    rollups.refresh(now=now + timedelta(minutes=1))
    counted = totals()["voices"]
    # A voice with a smaller id (taken earlier) whose transaction commits only now.
    scored_voice(conversation, created_at=now, id=base + 400)
    rollups.refresh(now=now + timedelta(minutes=2))
    rollups.refresh(now=now + timedelta(hours=2))
    rollups.refresh(now=now + timedelta(hours=3))  # the mark passes both
    assert Watermark.objects.get(source="voices").position == base + 500
    rollups.refresh(now=now + timedelta(hours=3, minutes=1))
    assert totals()["voices"] == counted + 1
    assert totals()["praise"] == Voice.objects.filter(kind=Kind.PRAISE).count()


def test_a_change_committed_late_within_the_overlap_is_counted(conversation, agent):
    rollups.refresh()
    # The action ran two minutes before the job but its commit was seen only after.
    past = timezone.now() - timedelta(minutes=2)
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Status.SOLVED, solved_at=past, updated_at=past
    )
    rollups.refresh(now=timezone.now())
    assert totals()["solved"] == 1


def test_the_voice_mark_waits_for_an_unscored_voice_then_lets_it_go(conversation):
    rollups.refresh()
    now, base = timezone.now(), _free_ids()
    waiting = scored_voice(conversation, created_at=now, scored=False, id=base + 600)
    scored_voice(conversation, created_at=now, id=base + 601)
    for minutes in (1, 10, 20):
        rollups.refresh(now=now + timedelta(minutes=minutes))
    mark = Watermark.objects.get(source="voices")
    assert mark.position < waiting.pk and mark.held_by == waiting.pk
    for minutes in (90, 100):  # an hour later it is let go
        rollups.refresh(now=now + timedelta(minutes=minutes))
    mark.refresh_from_db()
    assert mark.position == base + 601 and mark.held_by is None


def test_a_voice_scored_after_it_was_first_seen_is_counted(conversation):
    rollups.refresh()
    now = timezone.now()
    voice = scored_voice(conversation, created_at=now, scored=False)
    rollups.refresh(now=now + timedelta(minutes=10))  # unscored: waited for, not counted
    before = totals()["voices"] or 0
    Voice.objects.filter(pk=voice.pk).update(
        scored_at=now, sentiment=0.9, sentiment_label="positive", kind=Kind.PRAISE
    )
    rollups.refresh(now=now + timedelta(minutes=11))
    assert totals()["voices"] == before + 1


def test_rebuild_gives_the_same_rows_as_the_incremental_job(conversation, agent, customer, billing):
    rollups.refresh()
    second = actions.open_conversation(
        customer=customer, subject="Invoice", body="Wrong VAT number.", kind=Kind.QUESTION
    )
    actions.add_reply(conversation=second, author=agent, body="Fixed, new invoice attached.")
    actions.change_status(conversation=second, actor=agent, status=Status.SOLVED)
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    scored_voice(conversation, created_at=timezone.now() - timedelta(hours=3))
    rollups.refresh(now=later(1))
    incremental = snapshot()
    rollups.rebuild(now=later(2))
    assert snapshot() == incremental
    assert totals()["opened"] == 2


def test_days_are_local_days_of_the_desk(settings, customer):
    settings.TIME_ZONE = "America/New_York"
    conversation = actions.open_conversation(
        customer=customer, subject="Late night", body="Hello?", kind=Kind.QUESTION
    )
    # 03:00 UTC is still the evening before in New York.
    moment = timezone.now().replace(hour=3, minute=0, second=0, microsecond=0)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=moment, updated_at=moment)
    rollups.rebuild()
    assert DailyFigures.objects.get().day == (moment - timedelta(days=1)).date()


def test_topic_volumes_of_today_are_summed_by_the_minute_job_and_old_ones_by_the_hook():
    from everydesk.insights.models import DailyTopicVolume
    from everydesk.listening.models import Topic, TopicVolume

    rollups.refresh()
    topic = Topic.objects.create(name="late delivery")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    volume = TopicVolume.objects.create(topic=topic, hour=hour, count=3)
    old = TopicVolume.objects.create(topic=topic, hour=hour - timedelta(days=20), count=7)
    rollups.refresh(now=later(1))
    assert DailyTopicVolume.objects.get(day=rollups.local_day(hour)).count == 3
    TopicVolume.objects.filter(pk=volume.pk).update(count=5)
    rollups.refresh(now=later(2))
    assert DailyTopicVolume.objects.get(day=rollups.local_day(hour)).count == 5
    assert not DailyTopicVolume.objects.filter(day=rollups.local_day(old.hour)).exists()
    rollups.topics_changed([topic.pk])
    assert DailyTopicVolume.objects.get(day=rollups.local_day(old.hour)).count == 7
    rollups.rebuild()
    assert sorted(DailyTopicVolume.objects.values_list("count", flat=True)) == [5, 7]
