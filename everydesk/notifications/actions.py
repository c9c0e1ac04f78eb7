"""The one way to tell a person something: a row under their bell, and an email if asked."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.notifications.models import Notification


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    email: bool = False,
) -> list[Notification]:
    """Each active person once, however often they appear in `users`."""
    people = {user.pk: user for user in users if user.is_active}
    rows = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:255], body=body, url=url)
        for user in people.values()
    )
    if email and rows:
        from everydesk.notifications import tasks  # the task module imports this one

        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: tasks.email_notifications(ids))
    return rows


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some of this person's notifications read, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
