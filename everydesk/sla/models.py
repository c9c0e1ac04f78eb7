"""Service-level targets: business calendars, policies by tier and priority, and each
open conversation's clock."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from everydesk.conversations.models import Conversation, Priority
from everydesk.customers.models import Tier
from everydesk.sla import business_hours, policies


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_RESPONSE = "next_response", "Next response"
    RESOLUTION = "resolution", "Resolution"


def _changed() -> None:
    """Drop this process's policy cache now (this transaction sees the change) and again
    after commit (so a thread that reloaded in between does not keep the old rows).
    Not a signal: the cache is next door and these saves are the one place rows change."""
    policies.forget()
    transaction.on_commit(policies.forget)


class BusinessCalendar(models.Model):
    """When the company counts time: weekly opening hours in one time zone, less holidays."""

    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")  # IANA name
    # {"mon": [["09:00", "17:00"]], ..., "sun": []}; several spans a day are allowed,
    # none crossing midnight (write a night shift as two spans).
    weekly_hours = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _changed()
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        try:
            business_hours.Calendar(
                zone=business_hours.zone(self.time_zone),
                week=business_hours.parse_week(self.weekly_hours or {}),
            )
        except business_hours.CalendarError as error:
            raise ValidationError({"weekly_hours": str(error)}) from None


class Holiday(models.Model):
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_once_per_day")
        ]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name or 'Holiday'} {self.date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _changed()
        return super().delete(*args, **kwargs)


class SlaPolicy(models.Model):
    """Targets for conversations of one tier and/or priority. Empty tier or priority
    matches any; the most specific matching policy wins."""

    name = models.CharField(max_length=100, unique=True)
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.CASCADE)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, null=True, blank=True)
    # No calendar: the clock runs around the clock.
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL)
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    warn_before_minutes = models.PositiveIntegerField(default=30)

    class Meta:
        verbose_name_plural = "SLA policies"
        constraints = [
            # Two policies for the same tier and priority would make "most specific" a coin toss.
            # One constraint per shape of emptiness, since SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["tier", "priority"], name="sla_policy_once_per_tier_priority"
            ),
            models.UniqueConstraint(
                fields=["tier"],
                condition=models.Q(priority__isnull=True),
                name="sla_policy_once_per_tier",
            ),
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(tier__isnull=True),
                name="sla_policy_once_per_priority",
            ),
            models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(tier__isnull=True, priority__isnull=True),
                name="sla_policy_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _changed()
        return super().delete(*args, **kwargs)


class ConversationSla(models.Model):
    """One conversation's clock. Deadlines are absolute times, worked out in business
    hours whenever the clock starts, pauses or resumes, so the periodic check only
    compares them with now."""

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="sla"
    )
    policy = models.ForeignKey(SlaPolicy, null=True, on_delete=models.SET_NULL)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    # Set while waiting on the customer: the clock stands still.
    paused_at = models.DateTimeField(null=True, blank=True)
    # None until the target is decided; then whether it was met. The figures read these.
    first_response_met = models.BooleanField(null=True, blank=True)
    resolution_met = models.BooleanField(null=True, blank=True)
    next_response_met = models.BooleanField(null=True, blank=True)
    # The earliest deadline still running (None while paused or when all are decided),
    # and which one it is: the periodic check reads only these.
    due_at = models.DateTimeField(null=True, blank=True)
    due_target = models.CharField(max_length=16, choices=Target.choices, blank=True)
    # While paused: business seconds each running deadline had left, {"resolution": 3600}.
    paused_left = models.JSONField(default=dict, blank=True)
    # Warned and breached concern the current due_at; a new deadline clears them (the
    # timeline keeps every breach).
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    # When the time-based parts of the priority score (SLA time left, age) next change.
    rescore_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: the periodic check's "due within the warning window, not warned yet"
            models.Index(
                fields=["due_at"], name="sla_to_warn", condition=Q(warned_at__isnull=True)
            ),
            # serves: the periodic check's "past due, not marked breached yet"
            models.Index(
                fields=["due_at"], name="sla_to_breach", condition=Q(breached_at__isnull=True)
            ),
            # serves: the periodic check's "priority score has moved" pass
            models.Index(fields=["rescore_at"], name="sla_to_rescore"),
        ]

    def __str__(self) -> str:
        return f"SLA of #{self.conversation_id}"

    @property
    def badge(self) -> str:
        """What the inbox row says: "breached", "due soon", "paused" or nothing."""
        if self.paused_at:
            return "paused"
        if self.due_at is None:
            return ""
        if self.breached_at:
            return "breached"
        return "due soon" if self.warned_at else ""
