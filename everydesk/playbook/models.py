"""The playbook: what people may do for a customer, within which limits, and what they did."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer, Tier


class ActionType(models.Model):
    """Refund, credit, replacement, expedited shipping, tier upgrade, fee waiver, or a
    custom one. `fields` describes the extra inputs a person fills in."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    has_amount = models.BooleanField(default=True)
    # [{"name": "reason", "label": "Reason", "type": "text", "required": true}, ...]
    fields = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Period(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class ActionPolicy(models.Model):
    """Who may take an action type, up to what, for which customers."""

    action_type = models.ForeignKey(ActionType, on_delete=models.CASCADE, related_name="policies")
    roles = models.JSONField(default=list, blank=True)  # role values; empty means none by role
    teams = models.ManyToManyField(Team, blank=True, related_name="+")
    tiers = models.ManyToManyField(Tier, blank=True, related_name="+")  # empty: every tier
    limit_per_action = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    limit_per_period = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.MONTH)

    class Meta:
        verbose_name_plural = "action policies"
        ordering = ["action_type__name", "pk"]

    def __str__(self) -> str:
        return f"{self.action_type} policy"


class ActionStatus(models.TextChoices):
    DONE = "done", "Done"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    DENIED = "denied", "Denied"
    FAILED = "failed", "Failed"


class Outcome(models.TextChoices):
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class TakenAction(models.Model):
    """One action taken (or asked for) on a conversation: the spending ledger."""

    action_type = models.ForeignKey(ActionType, on_delete=models.PROTECT, related_name="taken")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="playbook_actions"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="EUR")
    values = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # What is sent to the customer as a reply once the action is done (at once, or on approval).
    message = models.TextField(blank=True)
    # The approval, when the action was above the requester's limits.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # Whose budget paid for it, and in which period, so a failed outcome can give it back.
    budget = models.ForeignKey(
        "Budget", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the company's other system reported back (POST /api/v1/actions/{id}/outcome).
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_reference = models.CharField(max_length=200, blank=True)
    outcome_message = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # serves: spending per person and period (the figures and the API list)
            models.Index(fields=["actor", "created_at"], name="taken_actor_period"),
            # serves: the approvals page (requests waiting, oldest first)
            models.Index(fields=["status", "created_at"], name="taken_status_age"),
        ]

    def __str__(self) -> str:
        return f"{self.action_type} on #{self.conversation_id}"


class Budget(models.Model):
    """What one person has used of one action type in one period: the row that is
    updated conditionally, so concurrent takes can never together pass the limit.

    `used` is money for types with an amount and a count of actions for the others.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action_type = models.ForeignKey(ActionType, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=8, choices=Period.choices)
    starts_on = models.DateField()  # first day of the period, in the company's time zone
    used = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        constraints = [
            # serves: finding (and creating once) the budget row of a person's period
            models.UniqueConstraint(
                fields=["user", "action_type", "period", "starts_on"], name="budget_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action_type_id} {self.period} {self.starts_on}"
