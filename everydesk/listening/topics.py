"""Which topic each voice belongs to, and the bookkeeping every move of a voice needs.

A scored voice joins the nearest live topic when its embedding is close enough to the
topic's centroid (cosine >= TOPIC_JOIN_SIMILARITY); otherwise it waits unassigned until
regrouping (listening/regrouping.py) finds it company. Joining moves the centroid a
little and counts the voice into TopicVolume, in one transaction, and only for a voice
that had no topic: a voice is counted once however often `assign` runs.
"""

from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from everydesk.listening import naming, vectors, volumes
from everydesk.listening.models import EmbeddingCentre, Topic, Voice

# Voices read per topic to name it: the newest, which say what it is about now.
NAMING_SAMPLE = 200
# The embedding centre is measured once this many voices exist, from at most CENTRE_SAMPLE.
CENTRE_MIN_VOICES = 200
CENTRE_SAMPLE = 5000
# Embeddings summed per step when a centroid is recomputed from all of a topic's voices.
REFRESH_CHUNK = 2000


def centre() -> np.ndarray | None:
    """The mean embedding taken out before comparing (None until there are enough voices)."""
    row = EmbeddingCentre.objects.order_by("-pk").values_list("vector", flat=True).first()
    return vectors.from_bytes(row) if row is not None else None


def matrix(raws: Iterable[vectors.Raw], space: np.ndarray | None) -> np.ndarray:
    """Unit rows to compare: each embedding less the centre, made unit length again."""
    rows = vectors.stack(raws)
    if space is None or rows.size == 0 or rows.shape[1] != len(space):
        return rows
    rows = rows - space
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    np.divide(rows, norms, out=rows, where=norms > 0)
    return rows.astype(np.float32, copy=False)


def measure_centre() -> np.ndarray | None:
    """Set the centre once enough voices exist; every topic's centroid then moves to it."""
    current = centre()
    if current is not None:
        return current
    scored = Voice.objects.filter(scored_at__isnull=False).exclude(embedding=None)
    if scored.count() < CENTRE_MIN_VOICES:
        return None
    sample = vectors.stack(
        scored.order_by("-created_at").values_list("embedding", flat=True)[:CENTRE_SAMPLE]
    )
    mean = sample.mean(axis=0).astype(np.float32)
    EmbeddingCentre.objects.create(
        vector=vectors.to_bytes(mean), dim=len(mean), voice_count=len(sample)
    )
    with transaction.atomic():
        for topic in Topic.objects.select_for_update().filter(merged_into=None).order_by("pk"):
            refresh(topic)
    return mean


def live_topics() -> QuerySet[Topic]:
    """Topics voices can still join: not merged into another."""
    return Topic.objects.filter(merged_into__isnull=True)


def _assignable(voices: Sequence[Voice]) -> list[Voice]:
    return [
        v for v in voices if v.pk and v.topic_id is None and v.scored_at is not None and v.embedding
    ]


def assign(voices: Sequence[Voice]) -> None:
    """Give each scored voice its topic (and count it in TopicVolume)."""
    waiting = _assignable(voices)
    if not waiting:
        return
    topics = list(live_topics().exclude(centroid=None).only("pk", "centroid"))
    if not topics:
        return
    centres = vectors.stack(t.centroid for t in topics)
    found = matrix((v.embedding for v in waiting), centre())
    if found.shape[1] != centres.shape[1]:
        return  # embeddings of another model version: regrouping sorts them out
    similarity = found @ centres.T
    best = np.argmax(similarity, axis=1)
    joins: dict[int, list[Voice]] = {}
    for row, voice in enumerate(waiting):
        if similarity[row, best[row]] >= settings.TOPIC_JOIN_SIMILARITY:
            joins.setdefault(topics[best[row]].pk, []).append(voice)
    with transaction.atomic():
        for topic in Topic.objects.select_for_update().filter(pk__in=joins).order_by("pk"):
            join(topic, joins[topic.pk])


def join(topic: Topic, voices: Iterable[Voice]) -> list[Voice]:
    """Put unassigned voices into a locked topic; returns those it actually took.

    The conditional update claims each voice only if it still has no topic, so two
    jobs assigning the same voice count it once between them.
    """
    taken = []
    for voice in voices:
        if Voice.objects.filter(pk=voice.pk, topic__isnull=True).update(topic=topic):
            voice.topic = topic
            taken.append(voice)
    if not taken:
        return taken
    added = matrix((v.embedding for v in taken), centre())
    if topic.centroid:
        # The stored centroid stands for voice_count unit vectors pointing its way.
        summed = vectors.from_bytes(topic.centroid) * topic.voice_count + added.sum(axis=0)
    else:
        summed = added.sum(axis=0)
    topic.centroid = vectors.to_bytes(vectors.unit(summed))
    topic.voice_count += len(taken)
    topic.updated_at = timezone.now()
    topic.save(update_fields=["centroid", "voice_count", "updated_at"])
    volumes.add(topic.pk, volumes.tally(taken))
    return taken


def move(voices: Sequence[Voice], *, source: Topic, target: Topic) -> int:
    """Move voices of `source` to `target` (both locked), counts and centroids following."""
    ids = [v.pk for v in voices if v.topic_id == source.pk]
    moved = list(Voice.objects.filter(pk__in=ids, topic=source))
    Voice.objects.filter(pk__in=[v.pk for v in moved]).update(topic=target)
    volumes.move(source.pk, target.pk, moved)
    refresh(source)
    refresh(target)
    return len(moved)


def _chunks(items: Iterable[vectors.Raw], size: int) -> Iterator[list[vectors.Raw]]:
    chunk: list[vectors.Raw] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def refresh(topic: Topic) -> None:
    """Recompute a topic's centroid and voice count from the voices it holds."""
    total: np.ndarray | None = None
    space = centre()
    raws = topic.voices.exclude(embedding=None).values_list("embedding", flat=True)
    for chunk in _chunks(raws.iterator(chunk_size=REFRESH_CHUNK), REFRESH_CHUNK):
        summed = matrix(chunk, space).sum(axis=0)
        total = summed if total is None else total + summed
    topic.centroid = vectors.to_bytes(vectors.unit(total)) if total is not None else None
    topic.voice_count = topic.voices.count()
    topic.updated_at = timezone.now()
    topic.save(update_fields=["centroid", "voice_count", "updated_at"])


def texts_of(topic_ids: Iterable[int]) -> dict[int, list[str]]:
    return {
        pk: list(
            Voice.objects.filter(topic_id=pk)
            .order_by("-created_at")
            .values_list("text", flat=True)[:NAMING_SAMPLE]
        )
        for pk in topic_ids
    }


def background_texts() -> list[str]:
    """Voices with no topic yet: what every topic is told apart from, with the others."""
    return list(
        Voice.objects.filter(topic__isnull=True, scored_at__isnull=False)
        .order_by("-created_at")
        .values_list("text", flat=True)[:NAMING_SAMPLE]
    )


def rename(topics: Sequence[Topic]) -> None:
    """Fresh key words for these topics; a new automatic name unless a person named it."""
    if not topics:
        return
    others = live_topics().exclude(pk__in=[t.pk for t in topics]).values_list("pk", flat=True)
    groups = texts_of([t.pk for t in topics] + list(others))
    found = naming.keywords(groups, background_texts())
    # Names of the other live topics, so two topics never read the same.
    renamed = {t.pk for t in topics if not t.named_by_person}
    taken = set(live_topics().exclude(pk__in=renamed).values_list("name", flat=True))
    for topic in sorted(topics, key=lambda t: (-t.voice_count, t.pk)):
        topic.keywords = found.get(topic.pk, [])
        fields = ["keywords", "updated_at"]
        if not topic.named_by_person:
            name = naming.unique_name(topic.keywords, taken, number=topic.pk)[:120]
            topic.name = name
            fields.append("name")
        taken.add(topic.name)
        topic.updated_at = timezone.now()
        topic.save(update_fields=fields)
