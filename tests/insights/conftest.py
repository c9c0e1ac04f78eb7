"""Voices as the pipeline writes them: scored by the real models (listening.scoring)."""

from datetime import datetime

import pytest
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.listening import scorer, scoring
from everydesk.listening.models import Voice, VoiceSource

PRAISE = "Alice was wonderful, thank you so much!"
COMPLAINT = "My parcel never arrived and nobody answers. This is unacceptable."


def scored_voice(
    conversation: Conversation | None,
    *,
    text: str = PRAISE,
    created_at: datetime | None = None,
    scored: bool = True,
    **fields: object,
) -> Voice:
    created_at = created_at or timezone.now()
    scores = {}
    if scored:
        score = scoring.score_texts([text])[0]
        scores = {
            "scored_at": created_at,
            "model_version": scoring.MODEL_VERSION,
            "sentiment": score.sentiment,
            "sentiment_label": score.sentiment_label,
            "kind": score.kind,
            "kind_confidence": score.kind_confidence,
            "urgency": score.urgency,
            "urgency_signals": list(score.urgency_signals),
            "language": score.language,
            "embedding": score.embedding.tobytes(),
        }
    return Voice.objects.create(
        source=VoiceSource.SURVEY,
        conversation=conversation,
        customer=conversation.customer if conversation else None,
        channel=conversation.channel if conversation else "review",
        text=text,
        created_at=created_at,
        **scores,
        **fields,
    )


@pytest.fixture
def voice_factory():
    return scored_voice


@pytest.fixture
def conversation(conversation):
    """The shared fixture's conversation with its customer message scored, as the worker
    leaves it moments after it arrives (tests do not run after-commit nudges)."""
    scorer.score_pending()
    conversation.refresh_from_db()
    return conversation
