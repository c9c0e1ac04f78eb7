"""Emerging-issue alerts: a topic rising beyond its normal, and the outreach they led to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from everydesk.customers.models import Customer
from everydesk.listening.models.topics import Topic


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


# Open and acknowledged alerts are both still running: one per topic at a time.
ACTIVE_ALERT_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class AlertRule(models.TextChoices):
    RISE = "rise", "Above its normal volume"
    NEW_TOPIC = "new_topic", "A new topic, busy from the start"


class Alert(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="alerts")
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    rule = models.CharField(max_length=16, choices=AlertRule.choices, default=AlertRule.RISE)
    # From the start of the first window that fired to the end of the latest one.
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    # The latest firing window: voices seen, voices its normal predicts, and its length.
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    window_hours = models.PositiveSmallIntegerField(default=24)
    # How unusual that window is: -log10 of its tail probability under the normal
    # volume (4.0 means a 1-in-10,000 chance); 0 for the new-topic rule.
    score = models.FloatField()
    detected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The proactive message a manager sent to the affected customers (the latest one).
    outreach_subject = models.CharField(max_length=255, blank=True)
    outreach_body = models.TextField(blank=True)
    outreach_requested_at = models.DateTimeField(null=True, blank=True)
    outreach_sent_at = models.DateTimeField(null=True, blank=True)
    outreach_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # One running alert per topic, whatever two detection runs might attempt.
            models.UniqueConstraint(
                fields=["topic"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="alert_one_running_per_topic",
            ),
        ]
        indexes = [
            # serves: the open alerts on the dashboard and the alerts page, newest first
            models.Index(fields=["status", "-detected_at"], name="alert_status_recent"),
            # serves: the detector's look-up of a topic's running alert
            models.Index(fields=["topic", "status"], name="alert_topic_status"),
        ]

    def __str__(self) -> str:
        return f"Alert on {self.topic} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ALERT_STATUSES


class Outreach(models.Model):
    """One customer reached by an alert's proactive message: never twice for one alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="outreach")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # serves: the idempotency check of the outreach job (one message per customer)
            models.UniqueConstraint(fields=["alert", "customer"], name="outreach_once"),
        ]

    def __str__(self) -> str:
        return f"Outreach {self.alert_id} -> {self.customer_id}"
