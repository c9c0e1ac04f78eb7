"""Praise: a customer's good words about one employee, for that employee, their manager
and the praise wall."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MatchedBy(models.TextChoices):
    FULL_NAME = "full_name", "Named in full"
    FIRST_NAME = "first_name", "Named by first name"
    ASSIGNEE = "assignee", "Assigned to the conversation"
    REPLIER = "replier", "Replied on the conversation"


class Praise(models.Model):
    voice = models.ForeignKey(
        "listening.Voice", on_delete=models.CASCADE, related_name="praise", db_index=False
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="praise_received"
    )
    matched_by = models.CharField(max_length=16, choices=MatchedBy.choices)
    # What the wall shows: trimmed, with email addresses and phone numbers taken out.
    quote = models.TextField()
    # The customer's first name, or "" (shown as "a customer"); never contact data.
    from_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the employee and their manager were told (praise.tasks), once.
    announced_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voice", "employee"], name="praise_once_per_employee")
        ]
        indexes = [
            # serves: the wall, newest first, without hidden items
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(hidden_at__isnull=True),
                name="praise_wall",
            ),
            # serves: the sweep that announces what a lost job left untold
            models.Index(
                fields=["created_at"], condition=Q(announced_at__isnull=True), name="praise_untold"
            ),
            # serves: one person's praise ("my praise", the wall filtered by person)
            models.Index(fields=["employee", "-created_at"], name="praise_of_employee"),
        ]

    def __str__(self) -> str:
        return f"Praise for {self.employee_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class AuditAction(models.TextChoices):
    HIDDEN = "hidden", "Hidden from the wall"
    SHOWN = "shown", "Shown on the wall again"


class PraiseAudit(models.Model):
    """Who hid or showed a praise item, when and why; kept when the item changes again."""

    praise = models.ForeignKey(Praise, on_delete=models.CASCADE, related_name="audit")
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.action} praise {self.praise_id}"
