"""Offline scores for every piece of customer text.

One entry point, score_texts, takes a batch and gives for each text its sentiment,
kind, urgency signals, language and a meaning vector; embed_texts gives the vectors
alone. Pure Python and numpy: no Django, no torch. Models load on the first call and
are shared by the whole process (loaded.py); importing this package loads nothing.
How the models were made, on what data, and how well they do: docs/listening.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from everydesk.listening.scoring.urgency import URGENCY_SIGNAL_LABELS

if TYPE_CHECKING:
    import numpy

__all__ = [
    "EMBEDDING_DIM",
    "MODEL_VERSION",
    "URGENCY_SIGNAL_LABELS",
    "TextScore",
    "embed_texts",
    "score_texts",
]

EMBEDDING_DIM = 256
# Changes whenever weights or rules change, so stored scores can be told apart and
# re-scored; weights/manifest.json carries the same value (a test checks it).
MODEL_VERSION = "2026.12-1"


@dataclass(frozen=True, slots=True)
class TextScore:
    sentiment: float  # -1.0 very negative .. +1.0 very positive
    sentiment_label: str  # "negative" | "neutral" | "positive"
    kind: str  # "complaint" | "praise" | "question" | "idea" | "other"
    kind_confidence: float  # 0..1
    urgency: int  # 0..100 (0 = nothing urgent)
    urgency_signals: tuple[str, ...]  # codes of URGENCY_SIGNAL_LABELS, in its order
    language: str  # ISO 639-1 code, "" when unknown or too short
    embedding: numpy.ndarray  # float32, unit length, shape (EMBEDDING_DIM,)


def score_texts(texts: Sequence[str]) -> list[TextScore]:
    """Scores for a batch of texts, in order. Batches of hundreds are the fast path."""
    from everydesk.listening.scoring import pipeline

    return pipeline.score_texts(texts)


def embed_texts(texts: Sequence[str]) -> numpy.ndarray:
    """(len(texts), EMBEDDING_DIM) float32 rows of unit length (zero for a text with no words)."""
    from everydesk.listening.scoring import pipeline

    return pipeline.embed_texts(texts)
