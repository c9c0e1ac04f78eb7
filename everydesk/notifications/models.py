"""Notifications: what a person should know about, shown under the bell in the desk."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A short machine name ("sla_warning", "approval_requested", "praise", ...).
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # serves: the bell's unread count and the list, newest first
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title
