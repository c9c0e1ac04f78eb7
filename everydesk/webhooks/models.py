"""Outgoing webhooks: where the company's other systems listen, and every delivery."""

from django.db import models
from django.utils import timezone


class Endpoint(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    # The receiver checks the HMAC signature with this; shown to the admin who sets it up.
    secret = models.CharField(max_length=128)
    events = models.JSONField(default=list, blank=True)  # event names; empty: all events
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class Delivery(models.Model):
    """One event for one endpoint, tried until it is accepted or the retries run out."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=100)
    payload = models.JSONField()
    # Sent as a header; the receiver uses it to ignore a delivery it already handled.
    idempotency_key = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "idempotency_key"], name="delivery_once_per_endpoint"
            )
        ]
        indexes = [
            # serves: the retry sweep (pending deliveries whose time has come)
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"
