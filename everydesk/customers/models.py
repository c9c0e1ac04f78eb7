"""The people and organisations the company serves, their tiers and their orders."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Tier(models.Model):
    """A service level (standard, VIP, ...) and its benefits. SLA targets hang off it in
    sla.SlaPolicy; the rest are here."""

    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    rank = models.PositiveSmallIntegerField(
        default=100, help_text="Lower ranks are served first when priorities tie."
    )
    description = models.TextField(blank=True)
    priority_boost = models.SmallIntegerField(
        default=0, help_text="Points added to the priority score of this tier's conversations."
    )
    # The person who looks after these customers (a key-account manager, say).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tiers",
    )
    # Benefits other systems read through the API, e.g. {"expedited_shipping": true}.
    flags = models.JSONField(default=dict, blank=True)

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
    # Kept up to date by order import (customers/orders.py), so lists and rules need no sums.
    lifetime_value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    order_count = models.PositiveIntegerField(default=0)
    last_order_at = models.DateTimeField(null=True, blank=True)
    # A tier a person chose (with their reason) is not changed by the automatic rules.
    tier_locked = models.BooleanField(default=False)
    tier_reason = models.CharField(max_length=255, blank=True)
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


class Order(models.Model):
    """A purchase, imported from a file or pushed by API. The order number is the key:
    sending the same order again updates it, never doubles it."""

    number = models.CharField(max_length=100, unique=True)  # serves: idempotent import
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    placed_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="EUR")
    items = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: a customer's order history, newest first (keyset); repeat-purchase figures
            models.Index(fields=["customer", "-placed_at", "-id"], name="order_customer_recent"),
            # serves: the API list of all orders, newest first (keyset)
            models.Index(fields=["-placed_at", "-id"], name="order_recent"),
        ]

    def __str__(self) -> str:
        return self.number


class Metric(models.TextChoices):
    LIFETIME_VALUE = "lifetime_value", "Lifetime value"
    ORDER_COUNT = "order_count", "Order count"


class TierRule(models.Model):
    """Customers whose metric reaches the threshold belong in the tier (unless a person
    chose their tier). Rules for better tiers (lower rank) are tried first."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="rules")
    metric = models.CharField(max_length=20, choices=Metric.choices)
    threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Lifetime value in the default currency, or a number of orders.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tier__rank", "-threshold", "id"]

    def __str__(self) -> str:
        return f"{self.tier}: {self.describe()}"

    def describe(self) -> str:
        if self.metric == Metric.ORDER_COUNT:
            return f"at least {int(self.threshold)} orders"
        return f"lifetime value at least {self.threshold} {settings.CURRENCY}"

    def met_by(self, *, lifetime_value: Decimal, order_count: int) -> bool:
        value = lifetime_value if self.metric == Metric.LIFETIME_VALUE else Decimal(order_count)
        return value >= self.threshold


class ImportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused (bad rows, nothing imported)"
    FAILED = "failed", "Failed (nothing imported)"


class OrderImport(models.Model):
    """An order file uploaded in the desk, imported by a job; the page polls it."""

    file = models.FileField(upload_to="order-imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    skip_bad = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=ImportState.choices, default=ImportState.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    # The summary (created, updated, unchanged, bad) and the bad rows, as the command prints.
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class CustomerEventType(models.TextChoices):
    TIER_CHANGED = "tier_changed", "Changed tier"


class CustomerEvent(models.Model):
    """One thing that happened to a customer's profile (not to a conversation): the
    customer's audit trail."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32, choices=CustomerEventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: a customer's audit trail, in order
            models.Index(fields=["customer", "created_at"], name="customer_event_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} for {self.customer_id}"
