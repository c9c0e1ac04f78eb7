"""The API's one way in: `Authorization: Bearer <token>`, a token issued to a person.

The token stands for its owner: every endpoint then asks `conversations.access`
what that person may see, exactly as the pages do.
"""

import datetime as dt
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from everydesk.accounts.models import ApiToken, User

# Recording every use would turn each read into a write (and, on SQLite, queue
# it behind every other write); to the minute is precise enough to spot a
# token nobody uses any more.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            # get(), not first(): the digest is unique, so no ORDER BY is needed.
            found = ApiToken.objects.matching(token).select_related("user").get()
        except ApiToken.DoesNotExist:
            return None
        if not found.user.is_active:
            return None
        _note_use(found)
        request.user = found.user
        return found.user


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    cutoff = now - LAST_USED_PRECISION
    if token.last_used_at and token.last_used_at > cutoff:
        return
    # Conditional, so concurrent first calls of the minute write once between them.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff)
    ).update(last_used_at=now)


def caller(request: HttpRequest) -> User:
    """The person whose token authenticated this request."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def require_staff(user: User, doing: str) -> None:
    if not user.is_staff_member:
        raise PermissionDenied(f"Only staff can {doing}.")


def require_agent_or_admin(user: User, doing: str) -> None:
    if not user.is_agent_or_admin:
        raise PermissionDenied(f"Only agents and admins can {doing}.")
