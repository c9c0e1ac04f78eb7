"""What customers say, scored: voices, the topics they fall into, and emerging-issue alerts."""

from everydesk.listening.models.alerts import (
    ACTIVE_ALERT_STATUSES,
    Alert,
    AlertRule,
    AlertStatus,
    Outreach,
)
from everydesk.listening.models.topics import (
    EmbeddingCentre,
    Topic,
    TopicChange,
    TopicChangeAction,
    TopicVolume,
)
from everydesk.listening.models.vectors import ConversationVector
from everydesk.listening.models.voices import SentimentLabel, Voice, VoiceSource

__all__ = [
    "ACTIVE_ALERT_STATUSES",
    "Alert",
    "AlertRule",
    "AlertStatus",
    "ConversationVector",
    "EmbeddingCentre",
    "Outreach",
    "SentimentLabel",
    "Topic",
    "TopicChange",
    "TopicChangeAction",
    "TopicVolume",
    "Voice",
    "VoiceSource",
]
