"""The life of a sign-in link: issued, looked at, claimed once."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from everydesk.customers.models import Customer
from everydesk.portal.models import LoginLink


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(customer: Customer) -> str:
    """Store a new link for `customer` and return its raw token (it goes in the mail only)."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    LoginLink.objects.create(
        customer=customer,
        digest=_digest(raw),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.PORTAL_LINK_MINUTES),
    )
    return raw


def find(raw: str) -> LoginLink | None:
    """The link a token names, used or not; reading it never spends it."""
    return LoginLink.objects.select_related("customer").filter(digest=_digest(raw)).first()


def claim(raw: str) -> LoginLink | None:
    """Spend a link, or return None if it is unknown, used or expired.

    The single conditional UPDATE is the claim: the database lets only one
    of two simultaneous requests change the row from unused to used, so the
    loser sees 0 rows and gets None, whatever the isolation level.
    """
    now = timezone.now()
    digest = _digest(raw)
    won = LoginLink.objects.filter(digest=digest, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    return find(raw) if won else None
