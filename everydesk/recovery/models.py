"""Service recovery: follow-ups after a complaint, and closing the loop on unhappy answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer, Tier


class Contact(models.TextChoices):
    CALL = "call", "Phone call"
    EMAIL = "email", "Check-in email"
    MESSAGE = "message", "Message"
    VISIT = "visit", "Visit"


class OwnerRule(models.TextChoices):
    SOLVER = "solver", "The person who solved it"
    TIER_OWNER = "tier_owner", "The owner of the customer's tier"
    TEAM = "team", "A member of a team (the least loaded)"


class FollowUpPolicy(models.Model):
    """Which solved complaints get follow-ups, which steps, and who owns them.

    Empty tier or team matches any; the most specific matching policy wins (as with
    SLA policies), so a VIP policy replaces the general one rather than adding to it.
    """

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.CASCADE)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    negative_only = models.BooleanField(
        default=False,
        help_text="Only complaints whose latest customer message read as negative.",
    )
    owner_rule = models.CharField(
        max_length=16, choices=OwnerRule.choices, default=OwnerRule.SOLVER
    )
    owner_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For 'a member of a team': which team.",
    )
    fallback_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Owns the follow-ups when the rule finds nobody.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "follow-up policies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def specificity(self) -> int:
        return sum(x is not None for x in (self.tier_id, self.team_id)) + self.negative_only


class FollowUpStep(models.Model):
    policy = models.ForeignKey(FollowUpPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=1)
    contact = models.CharField(max_length=16, choices=Contact.choices, default=Contact.CALL)
    delay_days = models.PositiveSmallIntegerField(help_text="Days after the complaint is solved.")
    instructions = models.TextField(blank=True)

    class Meta:
        ordering = ["policy", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_contact_display()} after {self.delay_days} days"


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Outcome(models.TextChoices):
    REACHED = "reached", "Reached, all well"
    NO_ANSWER = "no_answer", "No answer"
    RESOLVED_FURTHER = "resolved_further", "Resolved further"
    UNHAPPY = "unhappy", "Customer unhappy"


class FollowUp(models.Model):
    """One scheduled contact with a customer after their complaint was solved."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="recovery_follow_ups"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="follow_ups")
    # SET_NULL: deleting a policy keeps the history; contact and instructions are copied.
    step = models.ForeignKey(FollowUpStep, null=True, blank=True, on_delete=models.SET_NULL)
    contact = models.CharField(max_length=16, choices=Contact.choices)
    instructions = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    # Set when the owner was told it fell due; cleared by snooze and reassignment.
    notified_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An unhappy customer whose conversation was closed gets a new one, linked here.
    new_conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Solving the same complaint again never doubles its follow-ups.
            models.UniqueConstraint(
                fields=["conversation", "step"], name="follow_up_once_per_step"
            ),
        ]
        indexes = [
            # serves: "Follow-ups due" in the owner's inbox, and the API's owner filter
            models.Index(fields=["owner", "status", "due_at"], name="follow_up_owner_due"),
            # serves: the periodic "fell due" job and the whole-desk list
            models.Index(fields=["status", "due_at"], name="follow_up_due"),
        ]
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_contact_display()} for #{self.conversation_id}"

    @property
    def is_due(self) -> bool:
        return self.status == FollowUpStatus.PENDING and self.due_at <= timezone.now()


class SolvedComplaint(models.Model):
    """One row per complaint that was solved, written after commit by the same job that
    schedules follow-ups. The recovery figures read these instead of scanning every
    conversation for complaints (no index on kind and solve time there, and adding
    one would slow every conversation write)."""

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    # Plain ids, as in the insights facts: a deleted team must not erase history.
    team_id = models.BigIntegerField(null=True)
    tier_id = models.BigIntegerField(null=True)
    solved_at = models.DateTimeField()  # the latest solve

    class Meta:
        indexes = [
            # serves: complainers of a period (recovery and repeat-purchase figures)
            models.Index(fields=["solved_at"], name="solved_complaint_when"),
        ]

    def __str__(self) -> str:
        return f"complaint #{self.conversation_id} solved {self.solved_at:%Y-%m-%d}"
