"""Listening scores as the API shows them, to staff only."""

import datetime as dt

from ninja import Field, Schema

from everydesk.api.schemas.conversations import ConversationOut
from everydesk.listening.models import SentimentLabel, Voice


class TopicRef(Schema):
    id: int
    name: str


class VoiceScores(Schema):
    """What the models read in one customer message."""

    sentiment: float = Field(description="-1 very negative to +1 very positive.")
    sentiment_label: SentimentLabel
    kind: str = Field(description="complaint, praise, question, idea or other.")
    kind_confidence: float
    urgency: int = Field(description="0 to 100.")
    urgency_signals: list[str] = Field(description="Codes, e.g. `threat_leave`.")
    language: str
    topic: TopicRef | None
    model_version: str

    @staticmethod
    def resolve_topic(voice: Voice) -> TopicRef | None:
        return TopicRef(id=voice.topic.pk, name=voice.topic.name) if voice.topic else None


class SolutionOut(Schema):
    """The last public reply before the conversation was solved."""

    message_id: int
    author_name: str
    body: str
    created_at: dt.datetime


class SimilarOut(Schema):
    conversation: ConversationOut
    similarity: float = Field(description="Cosine similarity of meaning, 0 to 1.")
    solution: SolutionOut | None


class DuplicateOut(Schema):
    conversation: ConversationOut
    similarity: float


class SimilarPage(Schema):
    similar: list[SimilarOut] = Field(
        description="Solved or closed conversations, most alike first."
    )
    duplicates: list[DuplicateOut] = Field(
        description="The same customer's other open conversations about the same thing."
    )
