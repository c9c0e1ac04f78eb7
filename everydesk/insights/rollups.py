"""Keep the insight rollups up to date by reading only what changed.

`refresh()` runs every minute (insights/tasks.py). It finds what changed since its
watermarks, rewrites the fact row of every changed conversation and scored voice
(a fact says what its source contributes *now*, so rewriting it twice changes
nothing), then recomputes the daily rows of every day those facts touched, old day
and new. Counting is therefore idempotent: reading a row again is harmless, which is
what lets the watermarks overlap.

Why an overlap: on PostgreSQL a row's id and timestamp are taken when it is written
but it becomes visible at commit, so a row can appear *behind* a watermark that has
already passed. Conversations are read from `updated_at >= mark - OVERLAP`; voices by
id, and the voice mark only moves past rows older than VOICE_LAG, and never past an
unscored voice younger than VOICE_WAIT (its score is about to arrive).

`rebuild()` recomputes everything from the sources (`everydesk insights --rebuild`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from everydesk.conversations.models import Conversation, Kind
from everydesk.insights.models import (
    ConversationFact,
    DailyDuration,
    DailyFigures,
    DailyTopicVolume,
    Measure,
    VoiceFact,
    Watermark,
    duration_bucket,
)
from everydesk.listening.models import SentimentLabel, TopicVolume, Voice

OVERLAP = timedelta(minutes=5)
VOICE_LAG = timedelta(minutes=5)
VOICE_WAIT = timedelta(hours=1)
CHUNK = 5000
DAYS_PER_PASS = 62

CONVERSATION_COLUMNS = (
    "pk",
    "created_at",
    "first_response_at",
    "solved_at",
    "team_id",
    "customer__tier_id",
    "channel",
    "kind",
    "merged_into_id",
)
VOICE_COLUMNS = (
    "pk",
    "conversation_id",
    "conversation__team_id",
    "customer__tier_id",
    "conversation__channel",
    "channel",
    "kind",
    "created_at",
    "sentiment",
    "sentiment_label",
)


@dataclass
class Refreshed:
    conversations: int = 0
    voices: int = 0
    days: int = 0


def local_day(moment: datetime) -> date:
    """The day a moment falls on in the desk's time zone (TIME_ZONE): what 'a day' means."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(0, int((end - start).total_seconds()))


def _conversation_fact(row: tuple[Any, ...]) -> ConversationFact | None:
    pk, created, first_response, solved, team, tier, channel, kind, merged_into = row
    if merged_into is not None:
        return None  # a merged duplicate counts once, as the conversation it joined
    response = _seconds(created, first_response)
    resolution = _seconds(created, solved)
    return ConversationFact(
        conversation_id=pk,
        team_id=team,
        tier_id=tier,
        channel=channel,
        kind=kind,
        opened_on=local_day(created),
        first_response_on=local_day(first_response) if first_response else None,
        first_response_seconds=response,
        first_response_bucket=None if response is None else duration_bucket(response),
        solved_on=local_day(solved) if solved else None,
        resolution_seconds=resolution,
        resolution_bucket=None if resolution is None else duration_bucket(resolution),
    )


def _voice_fact(row: tuple[Any, ...]) -> VoiceFact:
    pk, conversation, team, tier, conversation_channel, channel, kind, created = row[:8]
    sentiment, label = row[8:]
    return VoiceFact(
        voice_id=pk,
        conversation_id=conversation,
        team_id=team,
        tier_id=tier,
        channel=channel or conversation_channel or "",
        kind=kind,
        day=local_day(created),
        created_at=created,
        sentiment=sentiment,
        sentiment_label=label,
    )


def _conversation_days(facts: Iterable[ConversationFact]) -> set[date]:
    days: set[date] = set()
    for fact in facts:
        days.update(d for d in (fact.opened_on, fact.first_response_on, fact.solved_on) if d)
    return days


def _rewrite_conversation_facts(ids: list[int]) -> set[date]:
    """Rewrite the facts of these conversations; the days they were and are counted on."""
    old = ConversationFact.objects.filter(pk__in=ids)
    days = _conversation_days(old)
    old.delete()
    rows = Conversation.objects.filter(pk__in=ids).values_list(*CONVERSATION_COLUMNS)
    facts = [f for f in map(_conversation_fact, rows) if f is not None]
    ConversationFact.objects.bulk_create(facts)
    return days | _conversation_days(facts)


def _rewrite_voice_facts(voices: Any) -> set[date]:
    """Rewrite the facts of the voices in this queryset (only scored ones count)."""
    ids = list(voices.values_list("pk", flat=True))
    old = VoiceFact.objects.filter(pk__in=ids)
    days = set(old.values_list("day", flat=True))
    old.delete()
    rows = Voice.objects.filter(pk__in=ids, scored_at__isnull=False).values_list(*VOICE_COLUMNS)
    facts = [_voice_fact(row) for row in rows]
    VoiceFact.objects.bulk_create(facts)
    return days | {fact.day for fact in facts}


def voices_changed(voice_ids: Iterable[int]) -> None:
    """Hook for whoever re-scores old voices (a model upgrade, a backfill): count them again.

    New voices need no call; the minute job finds them. Voices scored more than
    VOICE_WAIT after they arrived are only found by this call or by a rebuild.
    """
    ids = list(voice_ids)
    with transaction.atomic():
        _lock_marks()
        for chunk in _chunks(ids):
            recompute_days(_rewrite_voice_facts(Voice.objects.filter(pk__in=chunk)))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _refresh_conversations(mark: Watermark, now: datetime, result: Refreshed) -> set[date]:
    assert mark.moment is not None
    changed = list(
        Conversation.objects.filter(updated_at__gte=mark.moment - OVERLAP).values_list(
            "pk", flat=True
        )
    )
    days: set[date] = set()
    for ids in _chunks(changed):
        days |= _rewrite_conversation_facts(ids)
        # A voice carries its conversation's team: a team change moves its voices too.
        days |= _rewrite_voice_facts(Voice.objects.filter(conversation_id__in=ids))
    result.conversations = len(changed)
    mark.moment = now
    return days


def _voice_mark_after(
    rows: list[tuple[int, datetime, datetime | None]], mark: int, now: datetime
) -> tuple[int, bool]:
    """The new voice mark after reading `rows` (id order), and whether it stopped early."""
    for pk, created, scored in rows:
        too_young = created > now - VOICE_LAG
        awaited = scored is None and created > now - VOICE_WAIT
        if too_young or awaited:
            return mark, True
        mark = pk
    return mark, False


def _refresh_voices(mark: Watermark, now: datetime, result: Refreshed) -> set[date]:
    days: set[date] = set()
    after, held = mark.position, False
    while True:
        rows = list(
            Voice.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "created_at", "scored_at")[:CHUNK]
        )
        if not rows:
            break
        days |= _rewrite_voice_facts(Voice.objects.filter(pk__in=[r[0] for r in rows]))
        result.voices += len(rows)
        if not held:
            mark.position, held = _voice_mark_after(rows, mark.position, now)
        after = rows[-1][0]
    return days


def _lock_marks() -> tuple[Watermark, Watermark]:
    """Both watermarks, locked: two refreshes (or a refresh and a rebuild) take turns."""
    for source in ("conversations", "voices"):
        Watermark.objects.get_or_create(source=source)
    marks = {m.source: m for m in Watermark.objects.select_for_update().order_by("source")}
    return marks["conversations"], marks["voices"]


def refresh(*, now: datetime | None = None) -> Refreshed:
    """Bring the rollups up to date with what changed since the last call."""
    now = now or timezone.now()
    with transaction.atomic():
        conversations, voices = _lock_marks()
        if conversations.moment is None:
            return _rebuild_locked(conversations, voices, now)
        result = Refreshed()
        days = _refresh_conversations(conversations, now, result)
        days |= _refresh_voices(voices, now, result)
        recompute_days(days)
        # Topic volumes are counted into the current hour: re-sum today and yesterday.
        today = local_day(now)
        recompute_topic_days([today - timedelta(days=1), today])
        result.days = len(days)
        Watermark.objects.bulk_update([conversations, voices], ["moment", "position"])
    return result


def rebuild(*, now: datetime | None = None) -> Refreshed:
    """Recompute every fact and daily row from the sources (upgrades, the demo, repairs)."""
    now = now or timezone.now()
    with transaction.atomic():
        conversations, voices = _lock_marks()
        return _rebuild_locked(conversations, voices, now)


def _batches(queryset: Any, columns: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    after = 0
    while rows := list(queryset.filter(pk__gt=after).order_by("pk").values_list(*columns)[:20000]):
        yield rows
        after = rows[-1][0]


def _rebuild_locked(conversations: Watermark, voices: Watermark, now: datetime) -> Refreshed:
    for model in (ConversationFact, VoiceFact, DailyFigures, DailyDuration, DailyTopicVolume):
        model.objects.all().delete()
    result = Refreshed()
    for rows in _batches(Conversation.objects.all(), CONVERSATION_COLUMNS):
        facts = [f for f in map(_conversation_fact, rows) if f is not None]
        ConversationFact.objects.bulk_create(facts, batch_size=2000)
        result.conversations += len(rows)
    for rows in _batches(Voice.objects.filter(scored_at__isnull=False), VOICE_COLUMNS):
        VoiceFact.objects.bulk_create([_voice_fact(r) for r in rows], batch_size=2000)
        result.voices += len(rows)
    days: set[date] = set(VoiceFact.objects.values_list("day", flat=True).distinct())
    for column in ("opened_on", "solved_on", "first_response_on"):
        found = ConversationFact.objects.values_list(column, flat=True).distinct()
        days.update(day for day in found if day is not None)
    recompute_days(days)
    result.days = len(days)
    hours = TopicVolume.objects.values_list("hour", flat=True).distinct()
    recompute_topic_days({local_day(hour) for hour in hours})
    conversations.moment = now
    voices.position = _voice_mark_for_rebuild(now)
    Watermark.objects.bulk_update([conversations, voices], ["moment", "position"])
    return result


def _voice_mark_for_rebuild(now: datetime) -> int:
    """The newest voice older than VOICE_WAIT: the minute job re-reads the hour after it."""
    older = now - VOICE_WAIT
    for pk, created in Voice.objects.order_by("-pk").values_list("pk", "created_at").iterator(2000):
        if created <= older:
            return int(pk)
    return 0


# --- the daily rows -------------------------------------------------------------

Key = tuple[date, int | None, int | None, str, str]


def recompute_days(days: Iterable[date]) -> None:
    """Replace the daily rows of these days with sums of their facts."""
    ordered = sorted(days)
    for start in range(0, len(ordered), DAYS_PER_PASS):
        chunk = ordered[start : start + DAYS_PER_PASS]
        DailyFigures.objects.filter(day__in=chunk).delete()
        DailyDuration.objects.filter(day__in=chunk).delete()
        DailyFigures.objects.bulk_create(_figures(chunk), batch_size=2000)
        DailyDuration.objects.bulk_create(_durations(chunk), batch_size=2000)


def _grouped(queryset: Any, day: str, **sums: Any) -> Iterator[tuple[Key, dict[str, Any]]]:
    columns = (day, "team_id", "tier_id", "channel", "kind")
    for row in queryset.values(*columns).annotate(**sums).order_by():
        yield tuple(row[c] for c in columns), row  # type: ignore[misc]


def _figures(days: list[date]) -> list[DailyFigures]:
    rows: dict[Key, DailyFigures] = {}

    def row(key: Key) -> DailyFigures:
        if key not in rows:
            day, team, tier, channel, kind = key
            rows[key] = DailyFigures(
                day=day, team_id=team, tier_id=tier, channel=channel, kind=kind
            )
        return rows[key]

    facts = ConversationFact.objects
    for key, r in _grouped(facts.filter(opened_on__in=days), "opened_on", n=Count("pk")):
        row(key).opened = r["n"]
    responded = facts.filter(first_response_on__in=days)
    for key, r in _grouped(
        responded, "first_response_on", n=Count("pk"), s=Sum("first_response_seconds")
    ):
        row(key).first_responses, row(key).first_response_seconds = r["n"], r["s"] or 0
    solved = facts.filter(solved_on__in=days)
    for key, r in _grouped(solved, "solved_on", n=Count("pk"), s=Sum("resolution_seconds")):
        figures = row(key)
        figures.solved = figures.resolutions = r["n"]
        figures.resolution_seconds = r["s"] or 0
    for key, r in _grouped(
        VoiceFact.objects.filter(day__in=days),
        "day",
        n=Count("pk"),
        s=Sum("sentiment"),
        neg=Count("pk", filter=Q(sentiment_label=SentimentLabel.NEGATIVE)),
        pos=Count("pk", filter=Q(sentiment_label=SentimentLabel.POSITIVE)),
    ):
        figures = row(key)
        figures.voices, figures.sentiment_sum = r["n"], r["s"] or 0.0
        figures.negative, figures.positive = r["neg"], r["pos"]
        figures.praise = r["n"] if key[4] == Kind.PRAISE else 0
    return list(rows.values())


def _durations(days: list[date]) -> list[DailyDuration]:
    out: list[DailyDuration] = []
    facts = ConversationFact.objects
    for measure, day, bucket in (
        (Measure.FIRST_RESPONSE, "first_response_on", "first_response_bucket"),
        (Measure.RESOLUTION, "solved_on", "resolution_bucket"),
    ):
        grouped = (
            facts.filter(**{f"{day}__in": days})
            .values(day, "team_id", "tier_id", bucket)
            .annotate(n=Count("pk"))
            .order_by()
        )
        out += [
            DailyDuration(
                day=r[day],
                team_id=r["team_id"],
                tier_id=r["tier_id"],
                measure=measure,
                bucket=r[bucket],
                count=r["n"],
            )
            for r in grouped
        ]
    return out


# --- topics ---------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time(), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)


def recompute_topic_days(days: Iterable[date], topic_ids: Iterable[int] | None = None) -> None:
    """Replace the daily topic rows of these days (of these topics, or all) from the hours."""
    only = None if topic_ids is None else list(topic_ids)
    for day in sorted(set(days)):
        start, end = _day_bounds(day)
        hours = TopicVolume.objects.filter(hour__gte=start, hour__lt=end)
        stale = DailyTopicVolume.objects.filter(day=day)
        if only is not None:
            hours, stale = hours.filter(topic_id__in=only), stale.filter(topic_id__in=only)
        stale.delete()
        sums = hours.values("topic_id").annotate(
            n=Sum("count"), neg=Sum("negative_count"), s=Sum("sentiment_sum")
        )
        DailyTopicVolume.objects.bulk_create(
            DailyTopicVolume(
                day=day,
                topic_id=row["topic_id"],
                count=row["n"] or 0,
                negative_count=row["neg"] or 0,
                sentiment_sum=row["s"] or 0.0,
            )
            for row in sums.order_by()
        )


def topics_changed(topic_ids: Iterable[int]) -> None:
    """Hook for topic edits that rewrite history (merge, split): re-sum those topics' days.

    The minute job re-sums only today and yesterday, so a change to older hours of
    TopicVolume is seen through this call or a rebuild.
    """
    ids = list(topic_ids)
    with transaction.atomic():
        _lock_marks()
        hours = TopicVolume.objects.filter(topic_id__in=ids).values_list("hour", flat=True)
        days = {local_day(hour) for hour in hours.distinct()}
        days |= set(DailyTopicVolume.objects.filter(topic_id__in=ids).values_list("day", flat=True))
        recompute_topic_days(days, ids)
