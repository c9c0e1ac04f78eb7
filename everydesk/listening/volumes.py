"""TopicVolume: each topic's voices counted per hour, kept equal to the voices it holds.

Every change of a voice's topic passes here in the same transaction: joining adds,
leaving subtracts. The add is one INSERT ... ON CONFLICT DO UPDATE with increments
(same syntax on SQLite and PostgreSQL), so concurrent jobs counting into the same
hour never lose an update and never collide on the unique (topic, hour).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from everydesk.listening.models import SentimentLabel, TopicVolume, Voice


@dataclass
class Tally:
    count: int = 0
    negative: int = 0
    sentiment: float = 0.0


def hour_of(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def tally(voices: Iterable[Voice]) -> dict[dt.datetime, Tally]:
    """Per hour: how many voices, how many negative, and their summed sentiment."""
    hours: dict[dt.datetime, Tally] = defaultdict(Tally)
    for voice in voices:
        row = hours[hour_of(voice.created_at)]
        row.count += 1
        row.negative += voice.sentiment_label == SentimentLabel.NEGATIVE
        row.sentiment += voice.sentiment or 0.0
    return hours


# The dashboard's daily rollups re-sum today and yesterday by themselves.
ROLLUP_REACH = dt.timedelta(days=1)


def add(topic_id: int, hours: dict[dt.datetime, Tally]) -> None:
    if not hours:
        return
    if min(hours) < timezone.now() - ROLLUP_REACH:
        history_rewritten([topic_id])
    table = connection.ops.quote_name(TopicVolume._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    rows = sorted(hours.items())
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for hour, row in rows:
        params += [topic_id, adapt(hour), row.count, row.negative, row.sentiment]
    # Only the quoted model table goes into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (topic_id, hour, count, negative_count, sentiment_sum) "  # noqa: S608
        f"VALUES {values} ON CONFLICT (topic_id, hour) DO UPDATE SET "
        f"count = {table}.count + excluded.count, "
        f"negative_count = {table}.negative_count + excluded.negative_count, "
        f"sentiment_sum = {table}.sentiment_sum + excluded.sentiment_sum"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def subtract(topic_id: int, hours: dict[dt.datetime, Tally]) -> None:
    history_rewritten([topic_id])
    for hour, row in sorted(hours.items()):
        TopicVolume.objects.filter(topic_id=topic_id, hour=hour).update(
            count=F("count") - row.count,
            negative_count=F("negative_count") - row.negative,
            sentiment_sum=F("sentiment_sum") - row.sentiment,
        )
    TopicVolume.objects.filter(topic_id=topic_id, hour__in=list(hours), count=0).delete()


def move(source_id: int, target_id: int, voices: Iterable[Voice]) -> None:
    hours = tally(voices)
    subtract(source_id, hours)
    add(target_id, hours)


def fold(source_id: int, target_id: int) -> None:
    """Every hour of `source` added into `target` (a merge), then `source`'s rows gone."""
    source_rows = TopicVolume.objects.filter(topic_id=source_id)
    hours = {
        row.hour: Tally(row.count, row.negative_count, row.sentiment_sum) for row in source_rows
    }
    add(target_id, hours)
    source_rows.delete()
    history_rewritten([source_id, target_id])


def history_rewritten(topic_ids: list[int]) -> None:
    """After commit, tell the dashboard's rollups (everydesk.insights) that these topics'
    older hours changed (a merge, a split, a late voice), so their days are summed again."""

    def tell() -> None:
        try:
            from everydesk.insights import rollups  # type: ignore[import-not-found,unused-ignore]
        except ImportError:  # the insights app is not part of this installation
            return
        rollups.topics_changed(topic_ids)

    transaction.on_commit(tell)
