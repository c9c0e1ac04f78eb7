"""Telling owners that a follow-up fell due (the periodic job in tasks.py)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from everydesk.notifications.actions import notify
from everydesk.recovery import scheduling
from everydesk.recovery.models import FollowUp, FollowUpStatus

BATCH = 500


def notify_due() -> int:
    """Notify each owner once per follow-up that has fallen due; returns how many."""
    now = timezone.now()
    rows = (
        FollowUp.objects.filter(
            status=FollowUpStatus.PENDING, due_at__lte=now, notified_at__isnull=True
        )
        .select_related("owner", "customer", "conversation")
        .order_by("due_at", "id")[:BATCH]
    )
    told = 0
    for follow_up in rows:
        told += _notify_one(follow_up, now)
    return told


@transaction.atomic
def _notify_one(follow_up: FollowUp, now: object) -> int:
    conversation = follow_up.conversation
    if conversation.merged_into_id:
        # Merged while already closed (no status change, so the hook never saw it).
        scheduling.cancel_pending(conversation, f"merged into #{conversation.merged_into_id}")
        return 0
    # Claimed by a conditional update, so two workers never notify twice.
    claimed = FollowUp.objects.filter(pk=follow_up.pk, notified_at__isnull=True).update(
        notified_at=now
    )
    if not claimed or follow_up.owner is None:
        return 0
    notify(
        users=[follow_up.owner],
        kind="follow_up_due",
        title=f"{follow_up.get_contact_display()} due: {follow_up.customer}",
        url=reverse("recovery:follow_up", args=[follow_up.pk]),
        body=follow_up.instructions,
    )
    return 1
