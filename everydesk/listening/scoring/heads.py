"""The trained logistic-regression head (weights/heads.npz), applied with numpy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True, slots=True)
class Head:
    weights: np.ndarray  # (classes, dim)
    bias: np.ndarray  # (classes,)

    def probabilities(
        self, features: np.ndarray, extra_logits: np.ndarray | None = None
    ) -> np.ndarray:
        """(n, classes) softmax probabilities for (n, dim) dense features, plus any logits
        computed apart (the sparse n-gram part of the sentiment head)."""
        logits = features @ self.weights.T + self.bias
        if extra_logits is not None:
            logits += extra_logits
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits


@dataclass(frozen=True, slots=True)
class Heads:
    sentiment: Head  # classes: negative, neutral, positive; reads features.dense_features
    sentiment_grams: np.ndarray  # (3, GRAM_BUCKETS): the n-gram weights of the same head


SENTIMENT_CLASSES = ("negative", "neutral", "positive")


def load_heads(path: Path) -> Heads:
    with np.load(path) as arrays:
        classes = tuple(str(name) for name in arrays["sentiment_classes"])
        if classes != SENTIMENT_CLASSES:
            raise ValueError(f"{path}: sentiment classes {classes}, expected {SENTIMENT_CLASSES}")
        return Heads(
            sentiment=Head(arrays["sentiment_w"], arrays["sentiment_b"]),
            sentiment_grams=arrays["sentiment_grams"],
        )
