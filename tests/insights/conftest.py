"""Voices as the pipeline writes them once scored, and the rollups brought up to date."""

from datetime import datetime

import pytest
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.listening.models import SentimentLabel, Voice, VoiceSource


def scored_voice(
    conversation: Conversation | None,
    *,
    text: str = "Thank you, that fixed it!",
    kind: str = "praise",
    sentiment: float = 0.8,
    created_at: datetime | None = None,
    scored: bool = True,
    **fields: object,
) -> Voice:
    label = (
        SentimentLabel.POSITIVE
        if sentiment > 0.05
        else SentimentLabel.NEGATIVE
        if sentiment < -0.05
        else SentimentLabel.NEUTRAL
    )
    created_at = created_at or timezone.now()
    return Voice.objects.create(
        source=VoiceSource.SURVEY,
        conversation=conversation,
        customer=conversation.customer if conversation else None,
        channel=conversation.channel if conversation else "review",
        text=text,
        created_at=created_at,
        scored_at=created_at if scored else None,
        sentiment=sentiment if scored else None,
        sentiment_label=label if scored else "",
        kind=kind if scored else "",
        model_version="test",
        **fields,
    )


@pytest.fixture
def voice_factory():
    return scored_voice
