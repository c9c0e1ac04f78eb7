"""People who sign in, the roles they hold, their teams and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    AGENT = "agent", "Agent"
    # Sees every conversation like an agent, plus the figures: dashboard, alerts, digest.
    MANAGER = "manager", "Manager"
    EMPLOYEE = "employee", "Employee"
    CUSTOMER = "customer", "Customer"


STAFF_ROLES = frozenset({Role.ADMIN, Role.AGENT, Role.MANAGER, Role.EMPLOYEE})
# Roles that see every conversation and customer.
WHOLE_DESK_ROLES = frozenset({Role.ADMIN, Role.AGENT, Role.MANAGER})


class User(AbstractUser):
    """Everyone who signs in. Email is the login; customers get a role, not a password."""

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    # Who this person reports to: praise about them reaches that manager too.
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    department = models.CharField(max_length=100, blank=True)
    # IANA name; shifts and business hours are shown and planned in it.
    time_zone = models.CharField(max_length=64, default="UTC")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    @property
    def is_staff_member(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES

    @property
    def is_agent_or_admin(self) -> bool:
        """Sees the whole desk: admins, agents and managers."""
        return self.is_active and self.role in WHOLE_DESK_ROLES

    @property
    def sees_insights(self) -> bool:
        """May see the figures leadership sees: dashboard, alerts, digest, topics."""
        return self.is_active and self.role in (Role.ADMIN, Role.MANAGER)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def matching(self, raw: str) -> "ApiTokenQuerySet":
        return self.filter(digest=hash_token(raw), revoked_at__isnull=True)


class ApiToken(models.Model):
    """A per-user API credential. Only its SHA-256 digest is stored.

    A plain digest (not a slow password hash) is enough: the token is 256 bits
    of randomness, so there is nothing to brute-force, and every API call
    checks it.
    """

    PREFIX = "ed_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)  # serves: token lookup per request
    hint = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with the raw secret, which is shown once."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=hash_token(raw), hint=raw[:10])
        return token, raw
