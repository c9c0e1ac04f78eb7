"""Surveys sent to customers: CSAT after a solved conversation, NPS now and then."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer, Tier

CSAT_SCALE = range(1, 6)
NPS_SCALE = range(0, 11)


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
    # CSAT: the staff member who solved the conversation, whose work the answer rates.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rated_surveys",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # The conversation a low answer opened to close the loop; one per survey at most.
    recovery = models.OneToOneField(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recovery_for",
    )

    class Meta:
        indexes = [
            # serves: the throttle (when was this customer last asked) and their history
            models.Index(fields=["customer", "-sent_at"], name="survey_customer_recent"),
            # serves: CSAT and NPS over time on the dashboard; the desk's recent answers
            models.Index(fields=["kind", "answered_at"], name="survey_answered"),
            # serves: the API list and the desk list, newest first, keyset-paginated
            models.Index(fields=["-sent_at", "-id"], name="survey_newest"),
        ]
        constraints = [
            # A conversation is rated once, whichever door (email, portal) asked first.
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(kind="csat"),
                name="survey_one_csat_per_conversation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.customer_id}"

    @property
    def scale(self) -> range:
        return CSAT_SCALE if self.kind == SurveyKind.CSAT else NPS_SCALE

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class SurveyOptOut(models.Model):
    """A customer who asked not to be surveyed again. Kept here rather than on Customer:
    only the surveys read it, and removing the row is how they opt back in."""

    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, related_name="survey_opt_out"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"No surveys for {self.customer_id}"
