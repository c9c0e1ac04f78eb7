"""Service-level targets: business calendars, policies by tier and priority, and each
open conversation's clock."""

from django.db import models
from django.utils import timezone

from everydesk.conversations.models import Conversation, Priority
from everydesk.customers.models import Tier


class BusinessCalendar(models.Model):
    """When the company counts time: weekly opening hours in one time zone, less holidays."""

    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")  # IANA name
    # {"mon": [["09:00", "17:00"]], ..., "sun": []}; several spans a day are allowed.
    weekly_hours = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name


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

    def __str__(self) -> str:
        return self.name


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
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SLA of #{self.conversation_id}"
