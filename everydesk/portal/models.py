"""One-time sign-in links for customers, who have no password."""

from django.db import models
from django.utils import timezone

from everydesk.customers.models import Customer


class LoginLink(models.Model):
    """A link mailed to a customer. Only the SHA-256 digest of its token is kept.

    A plain digest is enough (as for API tokens): the token is 256 random
    bits, so a leaked table gives nothing to guess from.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="login_links")
    digest = models.CharField(max_length=64, unique=True)  # serves: lookup when the link is used
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link for {self.customer} (expires {self.expires_at:%Y-%m-%d %H:%M})"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
