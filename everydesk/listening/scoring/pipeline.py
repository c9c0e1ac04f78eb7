"""score_texts and embed_texts: the batch path through every scorer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from everydesk.listening.scoring import TextScore, kind, language, sentiment, urgency
from everydesk.listening.scoring.courtesy import without_courtesy
from everydesk.listening.scoring.embedding import embed_batch
from everydesk.listening.scoring.features import dense_features, gram_logits
from everydesk.listening.scoring.loaded import Models, models


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    return embed_batch(_strings(texts), model=models().static)


def score_texts(texts: Sequence[str]) -> list[TextScore]:
    texts = _strings(texts)
    loaded = models()
    vectors = embed_batch(texts, model=loaded.static)
    # Each score's embedding is a row of this matrix: read-only, as a frozen value's part.
    vectors.setflags(write=False)
    opinions, opinion_vectors = _without_courtesy(texts, vectors, loaded)
    heads = loaded.heads
    sentiments = heads.sentiment.probabilities(
        dense_features(opinions, opinion_vectors), gram_logits(opinions, heads.sentiment_grams)
    )
    scores = []
    for text, vector, probabilities in zip(texts, vectors, sentiments, strict=True):
        felt = sentiment.judge(text, probabilities)
        urgent = urgency.assess(text, felt.score)
        graver = sentiment.graver(felt, urgent.signals)
        if graver is not felt:  # the urgency score counts the now more negative sentiment
            felt, urgent = graver, urgency.assess(text, graver.score)
        what, confidence = kind.classify(text, felt, urgent.signals)
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


def _without_courtesy(
    texts: list[str], vectors: np.ndarray, loaded: Models
) -> tuple[list[str], np.ndarray]:
    """What the sentiment head reads: the texts without greetings and sign-offs, and
    their embeddings (re-embedded only where something was taken out)."""
    opinions = [without_courtesy(text) for text in texts]
    changed = [
        i for i, (text, opinion) in enumerate(zip(texts, opinions, strict=True)) if text != opinion
    ]
    if not changed:
        return opinions, vectors
    opinion_vectors = vectors.copy()
    opinion_vectors[changed] = embed_batch([opinions[i] for i in changed], model=loaded.static)
    return opinions, opinion_vectors


def _strings(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("score_texts takes a sequence of texts, not one string")
    # None (a missing field) scores as empty text, not as the word "None".
    return ["" if text is None else text if isinstance(text, str) else str(text) for text in texts]
