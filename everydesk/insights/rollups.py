"""Keep the insight rollups up to date by reading only what changed.

`refresh()` runs every minute (insights/tasks.py). It finds what changed since its
watermarks, rewrites the fact row of every changed conversation and scored voice
(a fact says what its source contributes *now*, so rewriting it twice changes
nothing), then recomputes the daily rows of every day those facts touched, old day
and new. Counting is therefore idempotent: reading a row again is harmless, which is
what lets the watermarks overlap.

Why an overlap: on PostgreSQL a row's id and timestamp are taken when it is written
but it becomes visible at commit, so a row can appear *behind* a watermark that has
already passed. Conversations are read from `updated_at >= mark - OVERLAP`. Voices
are read by id; the voice mark moves only to the highest id that was already read
VOICE_LAG ago (so a row committed up to VOICE_LAG late, with a smaller id, is still
read), and not past an unscored voice (its score is about to arrive) unless that
voice has held it for VOICE_WAIT.

`rebuild()` recomputes everything from the sources (`everydesk insights --rebuild`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Field, Model, Q, Sum
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


# Facts are written as plain tuples with one executemany: a rebuild writes a million
# of them, and model instances cost more than the database does.
CONVERSATION_FACT = (
    "conversation_id",
    "team_id",
    "tier_id",
    "channel",
    "kind",
    "opened_on",
    "first_response_on",
    "first_response_seconds",
    "first_response_bucket",
    "solved_on",
    "resolution_seconds",
    "resolution_bucket",
)
CONVERSATION_DAYS = (5, 6, 9)  # positions of the days in CONVERSATION_FACT
VOICE_FACT = (
    "voice_id",
    "conversation_id",
    "team_id",
    "tier_id",
    "channel",
    "kind",
    "day",
    "created_at",
    "sentiment",
    "sentiment_label",
)
VOICE_DAY = 6

Fact = tuple[Any, ...]


def _conversation_fact(row: tuple[Any, ...]) -> Fact | None:
    pk, created, first_response, solved, team, tier, channel, kind, merged_into = row
    if merged_into is not None:
        return None  # a merged duplicate counts once, as the conversation it joined
    response = _seconds(created, first_response)
    resolution = _seconds(created, solved)
    return (
        pk,
        team,
        tier,
        channel,
        kind,
        local_day(created),
        local_day(first_response) if first_response else None,
        response,
        None if response is None else duration_bucket(response),
        local_day(solved) if solved else None,
        resolution,
        None if resolution is None else duration_bucket(resolution),
    )


def _voice_fact(row: tuple[Any, ...]) -> Fact:
    pk, conversation, team, tier, conversation_channel, channel, kind, created = row[:8]
    sentiment, label = row[8:]
    channel = channel or conversation_channel or ""
    return (
        pk,
        conversation,
        team,
        tier,
        channel,
        kind,
        local_day(created),
        created,
        sentiment,
        label,
    )


def _insert(model: type[Model], columns: tuple[str, ...], facts: list[Fact]) -> None:
    if not facts:
        return
    ops = connection.ops
    fields = [cast(Field, model._meta.get_field(name)) for name in columns]
    names = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Dates and times as the backend stores them (SQLite: text), like the ORM does.
    adapt = [
        ops.adapt_datetimefield_value
        if f.get_internal_type() == "DateTimeField"
        else ops.adapt_datefield_value
        if f.get_internal_type() == "DateField"
        else None
        for f in fields
    ]
    rows = [
        tuple(a(v) if a and v is not None else v for a, v in zip(adapt, fact, strict=True))
        for fact in facts
    ]
    table = ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # Only the model's own table and column names are interpolated.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _conversation_days(facts: Iterable[Fact]) -> set[date]:
    days: set[date] = set()
    for fact in facts:
        days.update(fact[i] for i in CONVERSATION_DAYS if fact[i])
    return days


def _rewrite_conversation_facts(ids: list[int]) -> set[date]:
    """Rewrite the facts of these conversations; the days they were and are counted on."""
    old = ConversationFact.objects.filter(pk__in=ids)
    days = _conversation_days(old.values_list(*CONVERSATION_FACT))
    old.delete()
    rows = Conversation.objects.filter(pk__in=ids).values_list(*CONVERSATION_COLUMNS)
    facts = [f for f in map(_conversation_fact, rows) if f is not None]
    _insert(ConversationFact, CONVERSATION_FACT, facts)
    return days | _conversation_days(facts)


def _rewrite_voice_facts(voices: Any) -> set[date]:
    """Rewrite the facts of the voices in this queryset (only scored ones count)."""
    ids = list(voices.values_list("pk", flat=True))
    old = VoiceFact.objects.filter(pk__in=ids)
    days = set(old.values_list("day", flat=True))
    old.delete()
    rows = Voice.objects.filter(pk__in=ids, scored_at__isnull=False).values_list(*VOICE_COLUMNS)
    facts = [_voice_fact(row) for row in rows]
    _insert(VoiceFact, VOICE_FACT, facts)
    return days | {fact[VOICE_DAY] for fact in facts}


def voices_changed(voice_ids: Iterable[int]) -> None:
    """Hook for whoever re-scores old voices (a model upgrade, a backfill): count them again.

    New voices need no call; the minute job finds them. A voice the job stopped
    waiting for (unscored for VOICE_WAIT) and scored later is only counted through
    this call or a rebuild.
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


def _hold(mark: Watermark, unscored: list[int], now: datetime) -> int | None:
    """The unscored voice the mark waits for, if any; one that waited too long is let go."""
    for pk in unscored:
        if pk == mark.held_by and mark.held_since and now - mark.held_since > VOICE_WAIT:
            continue  # never scored (the pipeline's sweep gave up): counted if scored later
        if pk != mark.held_by:
            mark.held_by, mark.held_since = pk, now
        return pk
    mark.held_by = mark.held_since = None
    return None


def _refresh_voices(mark: Watermark, now: datetime, result: Refreshed) -> set[date]:
    days: set[date] = set()
    after, unscored = mark.position, []
    while rows := list(
        Voice.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "scored_at")[:CHUNK]
    ):
        days |= _rewrite_voice_facts(Voice.objects.filter(pk__in=[r[0] for r in rows]))
        unscored += [pk for pk, scored in rows if scored is None]
        result.voices += len(rows)
        after = rows[-1][0]
    _advance_voice_mark(mark, after, unscored, now)
    return days


def _advance_voice_mark(mark: Watermark, highest: int, unscored: list[int], now: datetime) -> None:
    if mark.seen_at is None or now - mark.seen_at >= VOICE_LAG:
        position = mark.seen  # read at least VOICE_LAG ago: anything below has committed
        mark.seen, mark.seen_at = highest, now
    else:
        position = mark.position
    held = _hold(mark, [pk for pk in unscored if pk <= position], now)
    mark.position = max(mark.position, position if held is None else held - 1)


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
        _save_marks(conversations, voices)
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
        _insert(
            ConversationFact, CONVERSATION_FACT, [f for f in map(_conversation_fact, rows) if f]
        )
        result.conversations += len(rows)
    for rows in _batches(Voice.objects.filter(scored_at__isnull=False), VOICE_COLUMNS):
        _insert(VoiceFact, VOICE_FACT, [_voice_fact(r) for r in rows])
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
    # Every voice was read just now: later runs re-read from the last id on, and the
    # unscored ones are waited for as usual.
    highest = Voice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # Voices left unscored long ago are not waited for (the partial index voice_unscored).
    unscored = Voice.objects.filter(scored_at__isnull=True, created_at__gt=now - VOICE_WAIT)
    first_unscored = unscored.order_by("pk").values_list("pk", flat=True).first()
    voices.position = highest if first_unscored is None else first_unscored - 1
    voices.seen, voices.seen_at, voices.held_by, voices.held_since = highest, now, None, None
    _save_marks(conversations, voices)
    return result


def _save_marks(*marks: Watermark) -> None:
    fields = ["moment", "position", "seen", "seen_at", "held_by", "held_since"]
    Watermark.objects.bulk_update(marks, fields)


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
    # Stored in the order the dashboard groups them, so a day's rows sit together.
    return [rows[key] for key in sorted(rows, key=_sortable)]


def _sortable(key: Key) -> tuple[date, str, str, int, int]:
    day, team, tier, channel, kind = key
    return day, kind, channel, team or 0, tier or 0


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
