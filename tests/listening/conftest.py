"""Listening tests score with the real models (everydesk.listening.scoring).

Until the scoring library is merged into this branch, a small rule-based stand-in
takes its place so the pipeline can be tested; it is used only when the real
module cannot be imported.
"""

import hashlib
import importlib
import re
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest

import everydesk.listening
from everydesk.listening import intake, similar


@pytest.fixture(autouse=True)
def _listening_fresh(settings, monkeypatch):
    """Every nudge runs the job at once (no throttle window), and no index survives a test."""
    settings.LISTENING_NUDGE_SECONDS = 0
    intake.forget()
    similar.forget()
    try:
        importlib.import_module("everydesk.listening.scoring")
    except ModuleNotFoundError:
        stand_in = _stand_in()
        monkeypatch.setitem(sys.modules, "everydesk.listening.scoring", stand_in)
        monkeypatch.setattr(everydesk.listening, "scoring", stand_in, raising=False)
    yield
    similar.forget()


@pytest.fixture
def scoring():
    """The scoring library the job uses (the real one once merged)."""
    return importlib.import_module("everydesk.listening.scoring")


# --- the stand-in -----------------------------------------------------------------

DIM = 64


@dataclass(frozen=True)
class _Score:
    sentiment: float
    sentiment_label: str
    kind: str
    kind_confidence: float
    urgency: int
    urgency_signals: tuple[str, ...]
    language: str
    embedding: np.ndarray


_SIGNALS = {
    "threat_leave": re.compile(r"\b(cancel|leave|switch(ing)? to)\b", re.I),
    "legal": re.compile(r"\b(lawyer|legal|sue)\b", re.I),
    "repeat_contact": re.compile(r"\bthird time\b", re.I),
}
_NEGATIVE = re.compile(r"\b(broken|cracked|crushed|angry|terrible|charged twice|never)\b", re.I)
_POSITIVE = re.compile(r"\b(thank|thanks|great|love|wonderful)\b", re.I)


def _embed(text: str) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    for word in re.findall(r"[a-z]+", text.lower()):
        if len(word) > 3:
            vector[int(hashlib.blake2s(word.encode()).hexdigest(), 16) % DIM] += 1.0
    norm = np.linalg.norm(vector)
    return vector / norm if norm else np.full(DIM, DIM**-0.5, dtype=np.float32)


def _score(text: str) -> _Score:
    signals = tuple(code for code, pattern in _SIGNALS.items() if pattern.search(text))
    negative, positive = len(_NEGATIVE.findall(text)), len(_POSITIVE.findall(text))
    sentiment = max(-1.0, min(1.0, 0.4 * (positive - negative - len(signals))))
    label = "negative" if sentiment < -0.2 else "positive" if sentiment > 0.2 else "neutral"
    if positive > negative:
        kind = "praise"
    elif negative or signals:
        kind = "complaint"
    elif "?" in text:
        kind = "question"
    else:
        kind = "other"
    return _Score(
        sentiment, label, kind, 0.8, min(100, 40 * len(signals)), signals, "en", _embed(text)
    )


def _stand_in() -> types.ModuleType:
    module = types.ModuleType("everydesk.listening.scoring")
    module.EMBEDDING_DIM = DIM  # type: ignore[attr-defined]
    module.MODEL_VERSION = "stand-in-1"  # type: ignore[attr-defined]
    module.URGENCY_SIGNAL_LABELS = {  # type: ignore[attr-defined]
        "threat_leave": "Threatens to leave",
        "legal": "Legal words",
        "repeat_contact": "Asked before",
    }

    def score_texts(texts: Sequence[str]) -> list[_Score]:
        return [_score(text) for text in texts]

    def embed_texts(texts: Sequence[str]) -> np.ndarray:
        return np.vstack([_embed(text) for text in texts])

    module.score_texts = score_texts  # type: ignore[attr-defined]
    module.embed_texts = embed_texts  # type: ignore[attr-defined]
    module.TextScore = _Score  # type: ignore[attr-defined]
    return module
