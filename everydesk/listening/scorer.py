"""Scoring what arrived: claim unscored voices in batches, score each batch in one model
call, save, then let the conversation (triage), the similarity index and topics know.

Safe to run twice or at once. On PostgreSQL a batch is claimed with
`SELECT ... FOR UPDATE SKIP LOCKED`, so two workers take different rows. SQLite has
one writer: the batch is read and scored outside any transaction (so the scoring
never holds the writer lock that every web request needs), and written in a short one
that keeps only the voices still unscored.
"""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Mod
from django.utils import timezone

from everydesk.listening import row_updates, topics, triage
from everydesk.listening.models import Voice
from everydesk.praise import recording as praise

log = logging.getLogger(__name__)

SCORE_FIELDS = [
    "scored_at",
    "score_error",
    "model_version",
    "sentiment",
    "sentiment_label",
    "kind",
    "kind_confidence",
    "urgency",
    "urgency_signals",
    "language",
    "embedding",
]


Share = tuple[int, int]  # (this one, of how many): voices whose id % many == this one


def unscored(share: Share | None = None) -> QuerySet[Voice]:
    # Matches the voice_unscored partial index: oldest first, never the whole table.
    voices = Voice.objects.filter(scored_at__isnull=True).order_by("created_at", "id")
    if share is not None:
        voices = voices.alias(share=Mod(F("id"), share[1])).filter(share=share[0])
    return voices


def score_pending(
    *,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    share: Share | None = None,
) -> int:
    """Score every unscored voice (of `share`), a batch at a time; returns how many were claimed."""
    size = batch_size or settings.LISTENING_BATCH_SIZE
    total = 0
    while claimed := score_batch(size, share):
        total += claimed
        if progress is not None:
            progress(claimed)
    return total


def score_batch(size: int, share: Share | None = None) -> int:
    """Claim, score and save up to `size` voices; returns how many were claimed."""
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            claim = unscored(share).select_for_update(skip_locked=True, of=("self",))
            voices = list(claim[:size])
            saved = _save(voices, _score(voices))
    else:
        voices = list(unscored(share)[:size])
        results = _score(voices)
        with transaction.atomic():
            still = set(
                Voice.objects.filter(
                    pk__in=[v.pk for v in voices], scored_at__isnull=True
                ).values_list("pk", flat=True)
            )
            kept = [(v, r) for v, r in zip(voices, results, strict=True) if v.pk in still]
            saved = _save([v for v, _ in kept], [r for _, r in kept])
    if saved:
        topics.assign(saved)
        praise.record_praise(saved)
    return len(voices)


Result = Any  # a scoring.TextScore, or the exception its text raised


def _score(voices: Sequence[Voice]) -> list[Result]:
    from everydesk.listening import scoring

    if not voices:
        return []
    texts = [voice.text for voice in voices]
    try:
        scores = list(scoring.score_texts(texts))
        if len(scores) != len(texts):
            raise ValueError(f"{len(scores)} scores for {len(texts)} texts")
        return scores
    except Exception:
        # One bad text must not hold back the others: find it by scoring them one by one.
        log.exception("Scoring a batch of %d voices failed; scoring them one at a time", len(texts))
    results: list[Result] = []
    for text in texts:
        try:
            results.append(scoring.score_texts([text])[0])
        except Exception as error:
            results.append(error)
    return results


def _save(voices: Sequence[Voice], results: Sequence[Result]) -> list[Voice]:
    """Write the scores (and the errors) and apply them; returns the voices scored."""
    from everydesk.listening import scoring

    if not voices:
        return []
    now = timezone.now()
    scored = []
    for voice, result in zip(voices, results, strict=True):
        voice.scored_at = now
        if isinstance(result, Exception):
            voice.score_error = f"{type(result).__name__}: {result}"[:255]
            log.warning("Voice %s could not be scored: %s", voice.pk, voice.score_error)
            continue
        _fill(voice, result, scoring.MODEL_VERSION)
        scored.append(voice)
    row_updates.update_rows(Voice, voices, SCORE_FIELDS)
    triage.apply(scored)
    return scored


def _fill(voice: Voice, score: Any, model_version: str) -> None:
    voice.score_error = ""
    voice.model_version = model_version[:32]
    voice.sentiment = float(score.sentiment)
    voice.sentiment_label = str(score.sentiment_label)
    voice.kind = str(score.kind)
    voice.kind_confidence = float(score.kind_confidence)
    voice.urgency = max(0, min(100, int(score.urgency)))
    voice.urgency_signals = list(score.urgency_signals)
    voice.language = str(score.language)[:8]
    import numpy as np  # here, not at import: web processes load this module too

    embedding = np.asarray(score.embedding, dtype=np.float32)
    voice.embedding = embedding.tobytes()
