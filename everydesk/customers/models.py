"""The people and organisations the company serves, and the tiers they belong to."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Tier(models.Model):
    """A service level (standard, VIP, ...). Later work hangs SLA targets and benefits here."""

    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    rank = models.PositiveSmallIntegerField(
        default=100, help_text="Lower ranks are served first when priorities tie."
    )

    class Meta:
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """One profile per person, whichever door they came through."""

    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(unique=True)  # stored lower-cased; serves: lookup by sender
    phone = models.CharField(max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer",
    )
    # Set when a delivery to this address bounced; cleared when they write again.
    email_bouncing_since = models.DateTimeField(null=True, blank=True)
    email_bounce_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: the customer list and API, newest first, keyset-paginated
            models.Index(fields=["-created_at", "-id"], name="customer_newest"),
            # serves: name search in the customer picker
            models.Index(Lower("name"), name="customer_name_lower"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def first_name(self) -> str:
        return (self.name.split() or [self.email.split("@")[0]])[0]
