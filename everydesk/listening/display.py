"""Scores as the desk shows them: a conversation's mood and urgency, in words."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from everydesk.conversations.models import Conversation
from everydesk.listening.models import SentimentLabel, Voice, VoiceSource


@dataclass(frozen=True)
class Mood:
    """The latest scored customer message of a conversation, ready to show."""

    label: str  # negative | neutral | positive
    sentiment: float
    urgency: int
    signals: tuple[str, ...]  # as people read them ("Threatens to leave")

    @property
    def is_urgent(self) -> bool:
        return self.urgency >= settings.LISTENING_URGENT_AT

    @property
    def label_text(self) -> str:
        return str(SentimentLabel(self.label).label) if self.label in SentimentLabel.values else ""


def signal_labels(codes: Iterable[str]) -> tuple[str, ...]:
    """Urgency signal codes in words; the labels come with the models."""
    codes = list(codes)
    if not codes:
        return ()
    from everydesk.listening.scoring import URGENCY_SIGNAL_LABELS as labels

    return tuple(labels.get(code, code.replace("_", " ").capitalize()) for code in codes)


def moods(conversation_ids: Sequence[int]) -> dict[int, Mood]:
    """The mood of each conversation that has a scored customer message, in one query."""
    if not conversation_ids:
        return {}
    rows = (
        Voice.objects.filter(
            conversation_id__in=list(conversation_ids),
            source=VoiceSource.MESSAGE,
            scored_at__isnull=False,
            score_error="",
        )
        .order_by("conversation_id", "created_at", "id")
        .values_list(
            "conversation_id", "sentiment_label", "sentiment", "urgency", "urgency_signals"
        )
    )
    found: dict[int, Mood] = {}
    for conversation_id, label, sentiment, urgency, signals in rows:
        # Oldest first: the last row per conversation is its latest message.
        found[conversation_id] = Mood(label, sentiment or 0.0, urgency, tuple(signals or ()))
    return {
        cid: Mood(m.label, m.sentiment, m.urgency, signal_labels(m.signals))
        for cid, m in found.items()
    }


def attach_moods(conversations: Sequence[Conversation]) -> None:
    """Set `.mood` (a Mood or None) on each conversation of a page, in one query."""
    found = moods([c.pk for c in conversations])
    for conversation in conversations:
        conversation.mood = found.get(conversation.pk)  # type: ignore[attr-defined]
