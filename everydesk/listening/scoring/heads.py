"""The trained logistic-regression heads (weights/heads.npz), applied with numpy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True, slots=True)
class Head:
    weights: np.ndarray  # (classes, dim)
    bias: np.ndarray  # (classes,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, classes) softmax probabilities for (n, dim) features."""
        logits = features @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits


@dataclass(frozen=True, slots=True)
class Heads:
    sentiment: Head  # classes: negative, neutral, positive
    question: Head  # classes: no, yes


SENTIMENT_CLASSES = ("negative", "neutral", "positive")


def load_heads(path: Path) -> Heads:
    with np.load(path) as arrays:
        classes = tuple(str(name) for name in arrays["sentiment_classes"])
        if classes != SENTIMENT_CLASSES:
            raise ValueError(f"{path}: sentiment classes {classes}, expected {SENTIMENT_CLASSES}")
        return Heads(
            sentiment=Head(arrays["sentiment_w"], arrays["sentiment_b"]),
            question=Head(arrays["question_w"], arrays["question_b"]),
        )
