"""Telling an employee, and their manager, that a customer praised them; once per item.

The notifications and the `announced_at` mark are written in one transaction, so a
crash leaves both undone and the sweep tells them later; never twice. On PostgreSQL
the items are taken with SKIP LOCKED, so a job and the sweep never take the same ones;
SQLite lets one writer in at a time.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from everydesk.notifications.actions import notify
from everydesk.praise.models import Praise

SWEEP_BATCH = 500


def untold() -> QuerySet[Praise]:
    return Praise.objects.filter(announced_at__isnull=True)  # the praise_untold index


def announce(items: QuerySet[Praise]) -> int:
    """Tell people about the untold items among `items`; returns how many were told."""
    with transaction.atomic():
        rows = untold() & items
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        batch = list(
            rows.select_related("employee__manager").order_by("created_at", "id")[:SWEEP_BATCH]
        )
        for item in batch:
            _tell(item)
        Praise.objects.filter(pk__in=[item.pk for item in batch]).update(
            announced_at=timezone.now()
        )
    return len(batch)


def announce_voices(voice_ids: Iterable[int]) -> int:
    return announce(Praise.objects.filter(voice_id__in=list(voice_ids)))


def sweep() -> int:
    told = 0
    while count := announce(Praise.objects.all()):
        told += count
    return told


def _tell(item: Praise) -> None:
    employee = item.employee
    sender = item.from_name or "A customer"
    notify(
        users=[employee],
        kind="praise",
        title=f"{sender} praised you",
        url=reverse("praise:mine"),
        body=item.quote,
        email=settings.PRAISE_EMAIL,
    )
    boss = employee.manager
    if boss is not None and boss.pk != employee.pk and boss.is_staff_member:
        notify(
            users=[boss],
            kind="praise",
            title=f"{sender} praised {employee.display_name}, who reports to you",
            url=f"{reverse('praise:wall')}?person={employee.pk}",
            body=item.quote,
            email=settings.PRAISE_EMAIL,
        )
