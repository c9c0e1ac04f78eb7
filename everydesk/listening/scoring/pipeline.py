"""score_texts and embed_texts: the batch path through every scorer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from everydesk.listening.scoring import TextScore, kind, language, sentiment, urgency
from everydesk.listening.scoring.embedding import embed_batch
from everydesk.listening.scoring.lexicon import sentiment_features
from everydesk.listening.scoring.loaded import models


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    return embed_batch(_strings(texts), model=models().static)


def score_texts(texts: Sequence[str]) -> list[TextScore]:
    texts = _strings(texts)
    loaded = models()
    vectors = embed_batch(texts, model=loaded.static)
    sentiments = loaded.heads.sentiment.probabilities(sentiment_features(texts, vectors))
    questions = loaded.heads.question.probabilities(vectors)[:, 1]
    scores = []
    for text, vector, probabilities, asked in zip(
        texts, vectors, sentiments, questions, strict=True
    ):
        felt = sentiment.judge(text, probabilities)
        urgent = urgency.assess(text, felt.score)
        what, confidence = kind.classify(text, felt, float(asked), urgent.signals)
        scores.append(
            TextScore(
                sentiment=felt.score,
                sentiment_label=felt.label,
                kind=what,
                kind_confidence=confidence,
                urgency=urgent.score,
                urgency_signals=urgent.signals,
                language=language.detect(text, loaded.languages),
                embedding=vector,
            )
        )
    return scores


def _strings(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("score_texts takes a sequence of texts, not one string")
    return [text if isinstance(text, str) else str(text) for text in texts]
