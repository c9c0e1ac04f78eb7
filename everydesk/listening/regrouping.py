"""The periodic regrouping: voices that waited find their topics, and topics stay tidy.

0. Once there are enough voices, the mean embedding (topics.measure_centre) is measured
   and from then on taken out of every embedding before any comparison.
1. Unassigned scored voices of the last TOPIC_REGROUP_DAYS try the live topics again
   (topics made since they arrived may fit them now).
2. The rest are grouped by meaning (clustering.dense_groups); each group of at least
   TOPIC_MIN_VOICES becomes a new topic, named by its key words.
3. Automatic topics (not named by a person, not pinned) whose centroids are nearly the
   same (TOPIC_MERGE_SIMILARITY) are merged, the smaller into the larger.
4. Automatic names and every topic's key words are refreshed.

History is kept: topics are never renumbered or deleted; a merged one points to its
target; a person's name stays; pinned topics are never merged or split by this job.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone

from everydesk.listening import actions, clustering, topics, vectors
from everydesk.listening.models import Topic, Voice

# Grouping is quadratic in memory: a few thousand voices per run is plenty, since
# each run only sees what waited since the last one (newest first).
MAX_VOICES = 4000


@dataclass
class RegroupReport:
    joined: int = 0
    created: list[int] = field(default_factory=list)
    merged: list[tuple[int, int]] = field(default_factory=list)
    waiting: int = 0


def _waiting(since: dt.datetime) -> list[Voice]:
    return list(
        Voice.objects.filter(topic__isnull=True, scored_at__isnull=False, created_at__gte=since)
        .exclude(embedding=None)
        .order_by("-created_at")[:MAX_VOICES]
    )


def regroup(*, now: dt.datetime | None = None) -> RegroupReport:
    now = now or timezone.now()
    report = RegroupReport()
    space = topics.measure_centre()
    pool = _waiting(now - dt.timedelta(days=settings.TOPIC_REGROUP_DAYS))
    topics.assign(pool)
    report.joined = sum(1 for v in pool if v.topic_id is not None)
    rest = [v for v in pool if v.topic_id is None]
    report.created = _new_topics(rest, space)
    report.merged = _merge_near_duplicates()
    topics.rename(list(topics.live_topics()))
    report.waiting = len(rest) - sum(
        Topic.objects.filter(pk__in=report.created).values_list("voice_count", flat=True)
    )
    return report


def _new_topics(voices: list[Voice], space: "np.ndarray | None") -> list[int]:
    if not voices:
        return []
    # Embeddings of two model versions cannot be compared: group the newest kind.
    newest = len(vectors.from_bytes(voices[0].embedding))
    voices = [v for v in voices if len(vectors.from_bytes(v.embedding)) == newest]
    matrix = topics.matrix((v.embedding for v in voices), space)
    groups = clustering.dense_groups(
        matrix, threshold=settings.TOPIC_JOIN_SIMILARITY, min_size=settings.TOPIC_MIN_VOICES
    )
    created = []
    for members in groups:
        topic = actions.create_topic(
            voices=[voices[i] for i in members], actor=None, by="regrouping"
        )
        created.append(topic.pk)
    return created


def _merge_near_duplicates() -> list[tuple[int, int]]:
    candidates = list(
        topics.live_topics()
        .filter(named_by_person=False, is_pinned=False)
        .exclude(centroid=None)
        .order_by("-voice_count", "pk")
    )
    if len(candidates) < 2:
        return []
    centres = vectors.stack(t.centroid for t in candidates)
    similarity = centres @ centres.T
    np.fill_diagonal(similarity, -1.0)
    merged: list[tuple[int, int]] = []
    gone: set[int] = set()
    # Larger topics come first, so each near-duplicate folds into the biggest of its kind.
    for i, target in enumerate(candidates):
        if target.pk in gone:
            continue
        for j in range(i + 1, len(candidates)):
            source = candidates[j]
            if source.pk in gone or similarity[i, j] < settings.TOPIC_MERGE_SIMILARITY:
                continue
            actions.merge_topics(source=source, target=target, actor=None)
            gone.add(source.pk)
            merged.append((source.pk, target.pk))
    return merged
