"""VADER's lexicon scores, as four extra features for the sentiment head.

The static embedding averages token vectors, so it blurs negation and intensity
("not good", "very bad"); VADER's hand-rated lexicon and its rules keep them. The head
learns from both (measured: docs/listening.md). The analyzer is built once, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

# Brings VADER's 0..1 parts to the scale of an embedding's larger components.
SCALE = 3.0
FEATURES = 4

_lock = threading.Lock()
_analyzer: Any = None


def _vader() -> Any:
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                _analyzer = SentimentIntensityAnalyzer()
    return _analyzer


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """(n, 4) float32: VADER's compound, positive, negative and neutral parts, scaled."""
    analyzer = _vader()
    rows = np.zeros((len(texts), FEATURES), dtype=np.float32)
    for i, text in enumerate(texts):
        parts = analyzer.polarity_scores(text)
        rows[i] = (parts["compound"], parts["pos"], parts["neg"], parts["neu"])
    return rows * SCALE


def sentiment_features(texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    """What the sentiment head reads: the embedding, then the lexicon features."""
    return np.hstack([vectors, lexicon_features(texts)])
