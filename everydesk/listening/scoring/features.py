"""What the sentiment head reads besides the embedding: VADER's lexicon scores and
hashed word n-grams.

The static embedding averages token vectors, so it blurs negation and intensity
("not good", "very bad"). VADER's hand-rated lexicon and rules keep them, and word
pairs ("not working", "no answer") let the head learn customer phrasing the lexicon
lacks. Each helped on held-out customer text (docs/listening.md). The derivation
script builds its training features with these same functions.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

# Brings VADER's 0..1 parts to the scale of an embedding's larger components.
LEXICON_SCALE = 3.0
LEXICON_FEATURES = 4
# Words and word pairs hash into this many buckets (collisions are rare enough to ignore
# at this vocabulary size); each present n-gram contributes GRAM_VALUE.
GRAM_BUCKETS = 2**16
GRAM_VALUE = 0.5
_TOKEN = re.compile(r"[a-z0-9']+|[!?]")

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
    rows = np.zeros((len(texts), LEXICON_FEATURES), dtype=np.float32)
    for i, text in enumerate(texts):
        parts = analyzer.polarity_scores(text)
        rows[i] = (parts["compound"], parts["pos"], parts["neg"], parts["neu"])
    return rows * LEXICON_SCALE


def dense_features(texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    """The embedding, then the lexicon features: (n, dim + 4)."""
    return np.hstack([vectors, lexicon_features(texts)])


def gram_ids(text: str) -> list[int]:
    """Distinct hashed buckets of the text's lower-cased words and adjacent word pairs."""
    words = _TOKEN.findall(text.lower())
    grams = words + [f"{a} {b}" for a, b in pairwise(words)]
    return sorted({zlib.crc32(gram.encode()) % GRAM_BUCKETS for gram in grams})


def gram_logits(texts: Sequence[str], weights: np.ndarray) -> np.ndarray:
    """(n, classes): what the n-grams add to each class, given (classes, GRAM_BUCKETS)."""
    out = np.zeros((len(texts), weights.shape[0]), dtype=np.float32)
    for i, text in enumerate(texts):
        ids = gram_ids(text)
        if ids:
            out[i] = weights[:, ids].sum(axis=1) * GRAM_VALUE
    return out
