"""Topics that feedback falls into, and their volume per hour."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Topic(models.Model):
    """A group of voices about the same thing, named by its key words or by a person."""

    name = models.CharField(max_length=120)
    keywords = models.JSONField(default=list, blank=True)
    # float32 bytes of the mean embedding of its voices, unit length
    centroid = models.BinaryField(null=True, blank=True)
    voice_count = models.PositiveIntegerField(default=0)
    # A person named it: regrouping keeps the name.
    named_by_person = models.BooleanField(default=False)
    # Pinned topics are never merged or split away by regrouping.
    is_pinned = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-voice_count", "name"]

    def __str__(self) -> str:
        return self.name


class TopicVolume(models.Model):
    """How many voices a topic had in one hour, and how they felt: the rollup alerts read."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="volumes")
    hour = models.DateTimeField()  # start of the hour, UTC
    count = models.PositiveIntegerField(default=0)
    negative_count = models.PositiveIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            # serves: the upsert per (topic, hour) and a topic's series in time order
            models.UniqueConstraint(fields=["topic", "hour"], name="topic_volume_hour"),
        ]
        indexes = [
            # serves: every topic's volume in a window (dashboard movers, detection)
            models.Index(fields=["hour"], name="topic_volume_by_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} @ {self.hour:%Y-%m-%d %H}:00"


class TopicChangeAction(models.TextChoices):
    CREATED = "created", "Created"
    RENAMED = "renamed", "Renamed"
    MERGED = "merged", "Merged into another topic"
    SPLIT = "split", "Split"
    MOVED = "moved", "Voices moved to a new topic"
    PINNED = "pinned", "Pinned"
    UNPINNED = "unpinned", "Unpinned"


class TopicChange(models.Model):
    """The audit trail of topics: who (or, with no actor, the regrouping job) changed what."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=TopicChangeAction.choices)
    # e.g. {"old": "...", "new": "..."} for a rename, {"into": 12} for a merge
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: a topic page's history, newest first
            models.Index(fields=["topic", "-at"], name="topic_change_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.action} @ {self.at:%Y-%m-%d %H:%M}"


class EmbeddingCentre(models.Model):
    """The mean of many voices' embeddings, taken out of each before topics compare them.

    Sentence embeddings share a large common direction (customer-service wording, product
    names), which makes any two texts look alike; comparing what is left after taking the
    mean out separates topics far better. Set once, from enough voices, by regrouping, and
    kept (a new one would move every centroid): the latest row is the one in use.
    """

    vector = models.BinaryField()  # float32 bytes, not unit length
    dim = models.PositiveIntegerField()
    voice_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Embedding centre of {self.voice_count} voices ({self.dim} dims)"
