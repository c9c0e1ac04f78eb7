"""What customers say, scored: voices, the topics they fall into, and emerging-issue alerts."""

from everydesk.listening.models.alerts import Alert, AlertStatus
from everydesk.listening.models.topics import Topic, TopicVolume
from everydesk.listening.models.vectors import ConversationVector
from everydesk.listening.models.voices import SentimentLabel, Voice, VoiceSource

__all__ = [
    "Alert",
    "AlertStatus",
    "ConversationVector",
    "SentimentLabel",
    "Topic",
    "TopicVolume",
    "Voice",
    "VoiceSource",
]
