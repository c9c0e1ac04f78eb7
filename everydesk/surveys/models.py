"""Surveys sent to customers: CSAT after a solved conversation, NPS now and then."""

from django.db import models
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer, Tier


class SurveyKind(models.TextChoices):
    CSAT = "csat", "Satisfaction (CSAT)"
    NPS = "nps", "Recommendation (NPS)"


class Survey(models.Model):
    """One invitation and, once answered, its answer. CSAT scores 1-5, NPS 0-10."""

    kind = models.CharField(max_length=8, choices=SurveyKind.choices)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="surveys")
    # CSAT asks about one conversation; NPS about the relationship.
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    # Kept as they were when sent, so figures by team and tier do not move afterwards.
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.SET_NULL)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            # serves: the throttle (when was this customer last asked) and their history
            models.Index(fields=["customer", "-sent_at"], name="survey_customer_recent"),
            # serves: CSAT and NPS over time on the dashboard
            models.Index(fields=["kind", "answered_at"], name="survey_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.customer_id}"
