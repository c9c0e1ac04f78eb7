"""The API's one way in: `Authorization: Bearer <token>`, a token issued to a person.

The token stands for its owner: every endpoint then asks `conversations.access`
what that person may see, exactly as the pages do.
"""

import datetime as dt
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from everydesk.accounts.models import ApiToken, User, hash_token
from everydesk.lib import direct_sql

# Recording every use would turn each read into a write (and, on SQLite, queue
# it behind every other write); to the minute is precise enough to spot a
# token nobody uses any more.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = _active_token(token)
        if found is None:
            return None
        user, token_id, last_used_at = found
        if not user.is_active:
            return None
        _note_use(token_id, last_used_at)
        request.user = user
        return user


def _active_token(raw: str) -> tuple[User, int, dt.datetime | None] | None:
    """The owner, id and last use of an unrevoked token, read fresh on every request.

    Every call goes to the database, so revoking a token, deactivating its owner or
    changing their role takes effect on the next request, in every server process.
    It runs on every API call, so its SQL is built once (lib/direct_sql) rather than
    compiled by the ORM each time: a third of the CPU of a small request went there.
    """
    owner = direct_sql.columns(User, "u")
    quote = connection.ops.quote_name
    token, user = quote(ApiToken._meta.db_table), quote(User._meta.db_table)
    # Only quoted model names go into the text; the digest is a parameter.
    sql = (
        f"SELECT t.id, t.last_used_at, {owner.sql} FROM {token} t "  # noqa: S608
        f"JOIN {user} u ON u.id = t.user_id WHERE t.digest = %s AND t.revoked_at IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [hash_token(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    last_used_at = direct_sql.convert(row[1], ApiToken._meta.get_field("last_used_at"), "t")
    return cast(User, owner.instance(row[2:], connection)), row[0], last_used_at


def _note_use(token_id: int, last_used_at: dt.datetime | None) -> None:
    now = timezone.now()
    cutoff = now - LAST_USED_PRECISION
    if last_used_at and last_used_at > cutoff:
        return
    # Conditional, so concurrent first calls of the minute write once between them.
    ApiToken.objects.filter(pk=token_id).filter(
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
