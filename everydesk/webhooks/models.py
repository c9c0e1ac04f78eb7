"""Outgoing webhooks: where the company's other systems listen, every delivery, and every
attempt at one (the delivery log)."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_secret() -> str:
    """256 bits the receiver shares with us; never typed in by a person."""
    return "whsec_" + secrets.token_urlsafe(32)


class Endpoint(models.Model):
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    # The receiver checks the HMAC signature with this; shown to the admin who sets it up.
    secret = models.CharField(max_length=128, default=new_secret)
    # After a rotation the old secret still signs (a second signature) until this time,
    # so the receiver can switch to the new one without dropping deliveries.
    previous_secret = models.CharField(max_length=128, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    events = models.JSONField(default=list, blank=True)  # event names; empty: all events
    is_active = models.BooleanField(default=True)
    # Most 4xx answers mean the request will never be accepted as it is; some receivers
    # answer 4xx while they are being deployed, and an admin may ask for retries then.
    retry_client_errors = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    def signing_secrets(self, now: datetime | None = None) -> list[str]:
        """The current secret, then the previous one while its grace period lasts."""
        now = now or timezone.now()
        keys = [self.secret]
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > now:
            keys.append(self.previous_secret)
        return keys


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
    # When a sender may next take it. A sender that claims it pushes this past its own
    # timeout (a lease), so a crash mid-send leaves it due again for the sweep.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "idempotency_key"], name="delivery_once_per_endpoint"
            )
        ]
        indexes = [
            # serves: the retry sweep (pending deliveries whose time has come)
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            # serves: the delivery log, newest first, optionally for one endpoint
            models.Index(fields=["endpoint", "-created_at"], name="delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"


class AttemptOutcome(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    RETRY = "retry", "Will retry"
    FAILED = "failed", "Gave up"


class DeliveryAttempt(models.Model):
    """One POST and what came back: the delivery log an admin reads."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_snippet = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices)

    class Meta:
        indexes = [
            # serves: one delivery's attempts, in order
            models.Index(fields=["delivery", "number"], name="attempt_of_delivery"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"
