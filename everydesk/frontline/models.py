"""Front-line shifts: every employee serves customers a few hours a quarter."""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Shift(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # The rule whose hours this shift counts toward; empty for shifts set by hand.
    rule = models.ForeignKey(
        "RotationRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )

    class Meta:
        indexes = [
            # serves: who is on shift now, and each person's calendar feed
            models.Index(fields=["user", "starts_at"], name="shift_user_start"),
            models.Index(fields=["starts_at", "ends_at"], name="shift_window"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d %H:%M}"


# ---- The fair rotation: rules, availability, swaps, calendar feeds (rotation piece) ----


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


def _empty_list() -> list[str]:
    return []


class RotationRule(models.Model):
    """Who serves on the front line, how much, and when shifts may happen.

    Service hours are in the company's zone; a shift must also fall inside each
    person's own availability (their zone), so both sides are checked when building.
    """

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    hours_per_quarter = models.PositiveSmallIntegerField(default=4)
    shift_minutes = models.PositiveSmallIntegerField(default=120)
    # Who is included: staff whose role and department match. Empty means any.
    roles = models.JSONField(default=_empty_list, blank=True, help_text='e.g. ["employee"]')
    departments = models.JSONField(default=_empty_list, blank=True, help_text='e.g. ["Sales"]')
    time_zone = models.CharField(max_length=64, default="UTC", help_text="IANA name")
    service_days = models.JSONField(default=_weekdays, help_text="0 = Monday … 6 = Sunday")
    service_start = models.TimeField(default=time(9))
    service_end = models.TimeField(default=time(17), help_text="00:00 means midnight")
    min_per_slot = models.PositiveIntegerField(default=1)
    # None: as many as the rotation needs.
    max_per_slot = models.PositiveIntegerField(null=True, blank=True)
    # Public holidays: no shifts on these dates (company zone).
    holidays = models.ForeignKey(
        "sla.BusinessCalendar", null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return self.name


class AvailabilityWindow(models.Model):
    """When a person can serve, weekly, in their own time zone. A person with no
    windows is available 09:00-17:00 Monday to Friday, local time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["user", "weekday", "starts"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.weekday} {self.starts}-{self.ends}"

    def clean(self) -> None:
        if self.weekday is not None and self.weekday > 6:
            raise ValidationError({"weekday": "0 (Monday) to 6 (Sunday)."})
        # 00:00 as the end means midnight.
        if self.starts and self.ends and self.starts >= self.ends and self.ends != time(0):
            raise ValidationError({"ends": "The window must end after it starts."})


class TimeOff(models.Model):
    """Days a person does not serve (leave, local holidays), both dates included,
    as dates in the person's own zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off"
    )
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["first_day"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.first_day}..{self.last_day}"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": "The last day comes before the first."})


class RotationBuild(models.Model):
    """One run of the builder: what it placed and, by name, whom it could not place."""

    rule = models.ForeignKey(RotationRule, on_delete=models.CASCADE, related_name="builds")
    quarter = models.CharField(max_length=6)  # "2027Q1"
    seed = models.IntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    # [{"user": id, "name": ..., "missing": shifts, "reason": ...}]
    unplaced = models.JSONField(default=list)
    # Slots left below the rule's minimum: [{"starts_at": iso, "people": n}]
    thin_slots = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.rule} {self.quarter}"


class SwapStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ShiftSwap(models.Model):
    """A shift handed to a colleague: offered to anyone eligible, or asked of one person.
    The row stays as the audit of who gave what to whom and when."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="swaps_offered"
    )
    # Empty: an open offer any eligible colleague may take.
    asked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="swaps_asked",
    )
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default=SwapStatus.OPEN)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="swaps_taken",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # serves: open offers on "my shifts", and the one open swap per shift check
            models.Index(fields=["status", "shift"], name="swap_status_shift"),
        ]

    def __str__(self) -> str:
        return f"swap of {self.shift_id} ({self.status})"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only the digest is kept: the link is shown
    once when made, and resetting it makes the old one stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True)  # serves: feed lookup by token
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


# --- the shift inbox and mentor review (docs/shift-inbox.md) ----------------------


class ShiftTake(models.Model):
    """One conversation someone took during a shift: what coverage counts as "served"."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="takes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="shift_takes"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    # The first public reply the person wrote while it was theirs.
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set when the shift ended with it unanswered and it went back to the pool.
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # serves: a reply marks the replier's open take answered (lifecycle.replied)
            models.Index(fields=["conversation", "user", "answered_at"], name="take_answer"),
            # serves: the shift inbox's "taken this shift" and served counts per shift
            models.Index(fields=["shift", "taken_at"], name="take_shift"),
            # serves: the shift-end job finding unanswered takes still out
            models.Index(fields=["answered_at", "returned_at"], name="take_open"),
        ]

    def __str__(self) -> str:
        return f"#{self.conversation_id} taken by {self.user_id}"


class ReviewStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a mentor"
    APPROVED = "approved", "Approved and sent"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReplyReview(models.Model):
    """A draft reply held back until a mentor approves it; nothing reaches the customer before."""

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="reply_reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_asked"
    )
    body = models.TextField()
    # The author's manager; empty when they have none, and then any agent may review it.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_given",
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.REQUESTED
    )
    comment = models.TextField(blank=True)
    # The reply sent on approval.
    message = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # serves: a mentor's pending reviews (/desk/reviews/), oldest first
            models.Index(fields=["status", "mentor", "created_at"], name="review_pending"),
            # serves: the author's latest review on the conversation page
            models.Index(fields=["conversation", "author", "-created_at"], name="review_latest"),
        ]

    def __str__(self) -> str:
        return f"Review of a reply on #{self.conversation_id}"
