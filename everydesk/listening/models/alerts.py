"""Emerging-issue alerts: a topic rising beyond its normal."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from everydesk.listening.models.topics import Topic


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Alert(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="alerts")
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    # How unusual the window is (e.g. the tail probability under the normal volume).
    score = models.FloatField()
    detected_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outreach_sent_at = models.DateTimeField(null=True, blank=True)
    outreach_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            # serves: the open alerts on the dashboard and the alerts page, newest first
            models.Index(fields=["status", "-detected_at"], name="alert_status_recent"),
        ]

    def __str__(self) -> str:
        return f"Alert on {self.topic} ({self.get_status_display()})"
