"""Rollups the dashboard and the digest read, and the digest's schedule and recipients.

Two layers (docs/insights.md): a *fact* row per conversation and per scored voice,
rewritten whenever its source changes (so counting is idempotent), and *daily* rows
summed from the facts of the days that changed. The dashboard reads only the daily
rows, a few hundred per day whatever the number of conversations.
"""

from django.db import models
from django.utils import timezone

# Upper bounds (seconds) of the duration buckets; the last bucket is open-ended.
# Coarse on purpose: a median read from them is "about 2 h", which is what a manager
# needs, and the rows stay small.
DURATION_BOUNDS = (300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 345600, 604800)


def duration_bucket(seconds: float) -> int:
    for index, bound in enumerate(DURATION_BOUNDS):
        if seconds < bound:
            return index
    return len(DURATION_BOUNDS)


class Measure(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    RESOLUTION = "resolution", "Resolution"


class ConversationFact(models.Model):
    """What one conversation contributes to the figures, as of its last change.

    Days are local dates in TIME_ZONE. Team and tier are plain ids, not foreign keys:
    a deleted team must not cascade into history, and the facts are rewritten anyway.
    """

    conversation_id = models.BigIntegerField(primary_key=True)
    team_id = models.BigIntegerField(null=True)
    tier_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16)
    kind = models.CharField(max_length=16)
    opened_on = models.DateField()
    first_response_on = models.DateField(null=True)
    first_response_seconds = models.PositiveIntegerField(null=True)
    first_response_bucket = models.PositiveSmallIntegerField(null=True)
    solved_on = models.DateField(null=True)
    resolution_seconds = models.PositiveIntegerField(null=True)
    resolution_bucket = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [
            # serves: recomputing one day's opened counts
            models.Index(fields=["opened_on"], name="fact_conv_opened"),
            # serves: recomputing one day's first responses
            models.Index(fields=["first_response_on"], name="fact_conv_first_response"),
            # serves: recomputing one day's solved counts and resolution times
            models.Index(fields=["solved_on"], name="fact_conv_solved"),
        ]

    def __str__(self) -> str:
        return f"conversation {self.conversation_id} opened {self.opened_on}"


class VoiceFact(models.Model):
    """What one scored customer voice contributes: its day, its scores, its context."""

    voice_id = models.BigIntegerField(primary_key=True)
    conversation_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)
    tier_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16)
    kind = models.CharField(max_length=16)
    day = models.DateField()
    created_at = models.DateTimeField()
    sentiment = models.FloatField()
    sentiment_label = models.CharField(max_length=8)

    class Meta:
        indexes = [
            # serves: recomputing one day's voice figures
            models.Index(fields=["day"], name="fact_voice_day"),
            # serves: the few most recent praise voices on the dashboard and digest
            models.Index(fields=["kind", "-created_at"], name="fact_voice_kind_recent"),
            # serves: rewriting the voice facts of a conversation whose team changed
            models.Index(fields=["conversation_id"], name="fact_voice_conversation"),
        ]

    def __str__(self) -> str:
        return f"voice {self.voice_id} on {self.day}"


class DailyFigures(models.Model):
    """The counts of one local day for one (team, tier, channel, kind)."""

    day = models.DateField()
    team_id = models.BigIntegerField(null=True)
    tier_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16)
    kind = models.CharField(max_length=16)
    opened = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    first_responses = models.PositiveIntegerField(default=0)
    first_response_seconds = models.BigIntegerField(default=0)
    resolutions = models.PositiveIntegerField(default=0)
    resolution_seconds = models.BigIntegerField(default=0)
    voices = models.PositiveIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0.0)
    negative = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    praise = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # serves: every dashboard query (a date range, optionally one team or tier),
            # in the order the series are grouped (day, kind, channel): no sort needed
            models.Index(
                fields=["day", "kind", "channel", "team_id", "tier_id"], name="daily_figures_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.kind}"


class DailyDuration(models.Model):
    """How many first responses or resolutions of one day fell in one duration bucket."""

    day = models.DateField()
    team_id = models.BigIntegerField(null=True)
    tier_id = models.BigIntegerField(null=True)
    measure = models.CharField(max_length=16, choices=Measure.choices)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # serves: the medians of a date range, optionally one team or tier; it holds
            # every column the query reads, so the table itself is never visited
            models.Index(
                fields=["day", "measure", "bucket", "team_id", "tier_id", "count"],
                name="daily_duration_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} bucket {self.bucket}"


class DailyTopicVolume(models.Model):
    """A topic's voices on one local day, summed from listening.TopicVolume's hours."""

    day = models.DateField()
    topic = models.ForeignKey("listening.Topic", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)
    negative_count = models.PositiveIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0.0)

    class Meta:
        indexes = [
            # serves: top topics and movers over a date range
            models.Index(fields=["day"], name="daily_topic_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} topic {self.topic_id}: {self.count}"


class Watermark(models.Model):
    """How far the rollup job has read one source (see rollups.refresh)."""

    source = models.CharField(max_length=32, unique=True)
    # Conversations: read again from `moment` (less the overlap) on.
    moment = models.DateTimeField(null=True)
    # Voices: read again from ids above `position`. `seen` is the highest id read at
    # `seen_at`; it becomes the position once seen_at is older than the lag. `held_by`
    # is the unscored voice keeping the position below it, since `held_since`.
    position = models.BigIntegerField(default=0)
    seen = models.BigIntegerField(default=0)
    seen_at = models.DateTimeField(null=True)
    held_by = models.BigIntegerField(null=True)
    held_since = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.source}: {self.position or self.moment}"


class DigestRecipient(models.Model):
    """Someone who receives the weekly digest (edited in the admin)."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class DigestStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class DigestRun(models.Model):
    """One week's digest. The unique period is what keeps it from going out twice."""

    period_start = models.DateField(unique=True)  # first day of the week reported on
    period_end = models.DateField()  # last day, inclusive
    status = models.CharField(
        max_length=16, choices=DigestStatus.choices, default=DigestStatus.SENDING
    )
    recipients = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"Digest {self.period_start}..{self.period_end} ({self.get_status_display()})"
