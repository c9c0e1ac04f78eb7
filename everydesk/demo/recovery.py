"""The demo's service recovery: a follow-up policy, the complaints already solved
counted for the figures, and the latest few followed up (some due now)."""

from datetime import timedelta

from django.utils import timezone

from everydesk.conversations.models import Conversation, Kind, Status
from everydesk.recovery import backfill, scheduling
from everydesk.recovery.models import (
    Contact,
    FollowUp,
    FollowUpPolicy,
    FollowUpStep,
    OwnerRule,
)

FOLLOWED_UP = 12


def create_follow_ups() -> int:
    policy, created = FollowUpPolicy.objects.get_or_create(
        name="Call back every complaint", defaults={"owner_rule": OwnerRule.SOLVER}
    )
    if created:
        FollowUpStep.objects.create(
            policy=policy,
            position=1,
            contact=Contact.CALL,
            delay_days=2,
            instructions="Ask whether the fix worked; if not, say so as 'Customer unhappy'.",
        )
        FollowUpStep.objects.create(policy=policy, position=2, contact=Contact.EMAIL, delay_days=14)
    backfill.solved_complaints()
    latest = (
        Conversation.objects.filter(kind=Kind.COMPLAINT, status=Status.SOLVED)
        .exclude(assignee=None)
        .order_by("-solved_at")
        .values_list("pk", "assignee_id")[:FOLLOWED_UP]
    )
    for pk, assignee in latest:
        scheduling.complaint_moved(pk, assignee)
    # Half of the calls are due already, so the inbox panel has something to show.
    calls = FollowUp.objects.filter(contact=Contact.CALL).order_by("pk")
    due = list(calls.values_list("pk", flat=True)[: FOLLOWED_UP // 2])
    FollowUp.objects.filter(pk__in=due).update(due_at=timezone.now() - timedelta(hours=1))
    return FollowUp.objects.count()
