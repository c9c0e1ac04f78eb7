"""A voice: one piece of customer text, from any door, with the scores the models gave it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from everydesk.conversations.models import Conversation, Kind, Message
from everydesk.customers.models import Customer


class VoiceSource(models.TextChoices):
    MESSAGE = "message", "Customer message"
    SURVEY = "survey", "Survey comment"
    REVIEW = "review", "Public review"
    BOARD = "board", "Board post"


class SentimentLabel(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class Voice(models.Model):
    """Written when customer text arrives; scored by a job moments later (scored_at set).

    The text is kept here (trimmed) rather than read back from its source, so that
    topics, alerts and the digest treat a message, a survey comment and a review alike.
    """

    source = models.CharField(max_length=16, choices=VoiceSource.choices)
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="voice"
    )
    # No index of their own: voice_conversation and voice_topic_recent lead with them, and
    # every customer message pays for each index a voice row keeps.
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="voices",
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="voices"
    )
    channel = models.CharField(max_length=16, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    scored_at = models.DateTimeField(null=True, blank=True)
    model_version = models.CharField(max_length=32, blank=True)
    sentiment = models.FloatField(null=True, blank=True)  # -1 very negative .. +1 very positive
    sentiment_label = models.CharField(max_length=8, choices=SentimentLabel.choices, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    kind_confidence = models.FloatField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(default=0)  # 0..100
    urgency_signals = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, blank=True)
    # float32 bytes, unit length (listening.scoring.EMBEDDING_DIM values)
    embedding = models.BinaryField(null=True, blank=True)
    topic = models.ForeignKey(
        "listening.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voices",
        db_index=False,
    )
    # Why the models could not score this text; set with scored_at, so it never blocks
    # the queue or comes back on every sweep.
    score_error = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [
            # serves: the sweep that scores what a lost job left unscored
            models.Index(
                fields=["created_at"], condition=Q(scored_at__isnull=True), name="voice_unscored"
            ),
            # serves: a conversation's scores, newest last
            models.Index(fields=["conversation", "created_at"], name="voice_conversation"),
            # serves: a topic's examples and affected customers in a time window
            models.Index(fields=["topic", "created_at"], name="voice_topic_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.pk}"

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None and not self.score_error
