"""Front-line shifts: every employee serves customers a few hours a quarter."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Shift(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: who is on shift now, and each person's calendar feed
            models.Index(fields=["user", "starts_at"], name="shift_user_start"),
            models.Index(fields=["starts_at", "ends_at"], name="shift_window"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d %H:%M}"


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
