"""Which policy a solved complaint falls under, who owns its follow-ups, and when.

Runs in a job after the status change has committed (hooks.py), so it reads the
conversation as it was saved. Safe to run twice: one FollowUp per (conversation,
step), and a complaint solved again re-times the steps still pending instead of
adding new ones (the call "2 days after solving" is 2 days after the last solve).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q

from everydesk.accounts.models import User
from everydesk.conversations import events
from everydesk.conversations.models import Conversation, Kind, Status
from everydesk.recovery.models import (
    FollowUp,
    FollowUpPolicy,
    FollowUpStatus,
    FollowUpStep,
    OwnerRule,
    SolvedComplaint,
)

# Below this the latest customer message read as negative (listening sentiment, -1..1).
NEGATIVE_BELOW = -0.05


def matching_policy(conversation: Conversation) -> FollowUpPolicy | None:
    """The most specific active policy for this complaint; ties go to the oldest."""
    tier_id, team_id = conversation.customer.tier_id, conversation.team_id
    candidates = (
        FollowUpPolicy.objects.filter(active=True)
        .filter(Q(tier__isnull=True) | Q(tier_id=tier_id))
        .filter(Q(team__isnull=True) | Q(team_id=team_id))
    )
    negative = conversation.sentiment is not None and conversation.sentiment < NEGATIVE_BELOW
    fitting = [p for p in candidates.order_by("id") if negative or not p.negative_only]
    return max(fitting, key=lambda p: p.specificity, default=None)


def _least_loaded(team_id: int | None) -> User | None:
    if team_id is None:
        return None
    pending = Count("follow_ups", filter=Q(follow_ups__status=FollowUpStatus.PENDING))
    return (
        User.objects.filter(teams=team_id, is_active=True)
        .annotate(pending=pending)
        .order_by("pending", "id")
        .first()
    )


def owner_for(
    policy: FollowUpPolicy, conversation: Conversation, solver: User | None
) -> User | None:
    """The person the policy names; else its fallback; else whoever has the conversation."""
    if policy.owner_rule == OwnerRule.SOLVER:
        chosen = solver if solver and solver.is_staff_member else None
    elif policy.owner_rule == OwnerRule.TIER_OWNER:
        tier = conversation.customer.tier
        chosen = tier.owner if tier else None
    else:
        chosen = _least_loaded(policy.owner_team_id)
    for person in (chosen, policy.fallback_owner, conversation.assignee):
        if person is not None and person.is_staff_member:
            return person
    return None


def _schedule_step(
    conversation: Conversation, step: FollowUpStep, owner: User | None, solved_at: datetime
) -> None:
    due_at: datetime = solved_at + timedelta(days=step.delay_days)
    follow_up, created = FollowUp.objects.get_or_create(
        conversation=conversation,
        step=step,
        defaults={
            "customer_id": conversation.customer_id,
            "contact": step.contact,
            "instructions": step.instructions,
            "owner": owner,
            "due_at": due_at,
        },
    )
    if not created:
        if follow_up.status != FollowUpStatus.PENDING or follow_up.due_at == due_at:
            return
        follow_up.due_at, follow_up.notified_at = due_at, None
        follow_up.save(update_fields=["due_at", "notified_at"])
    events.follow_up_scheduled(
        conversation,
        follow_up=follow_up.pk,
        contact=follow_up.get_contact_display(),
        due_at=due_at.isoformat(),
        owner=follow_up.owner.display_name if follow_up.owner else None,
    )


def _remember_complaint(conversation: Conversation) -> None:
    SolvedComplaint.objects.update_or_create(
        conversation=conversation,
        defaults={
            "customer_id": conversation.customer_id,
            "team_id": conversation.team_id,
            "tier_id": conversation.customer.tier_id,
            "solved_at": conversation.solved_at,
        },
    )


def cancel_pending(conversation: Conversation, reason: str) -> int:
    pending = list(conversation.recovery_follow_ups.filter(status=FollowUpStatus.PENDING))
    for follow_up in pending:
        follow_up.status = FollowUpStatus.CANCELLED
        follow_up.save(update_fields=["status"])
        events.follow_up_cancelled(conversation, follow_up=follow_up.pk, reason=reason)
    return len(pending)


@transaction.atomic
def complaint_moved(conversation_id: int, solver_id: int | None) -> None:
    """Schedule (or re-time) the follow-ups of a solved complaint; cancel a merged one's."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("customer__tier__owner", "assignee")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or conversation.kind != Kind.COMPLAINT:
        return
    if conversation.merged_into_id:
        # Its messages now live in the other conversation, which has its own story.
        SolvedComplaint.objects.filter(conversation=conversation).delete()
        cancel_pending(conversation, f"merged into #{conversation.merged_into_id}")
        return
    if conversation.status != Status.SOLVED or conversation.solved_at is None:
        return  # reopened before this job ran: the next solve schedules
    _remember_complaint(conversation)
    policy = matching_policy(conversation)
    if policy is None:
        return
    solver = User.objects.filter(pk=solver_id).first() if solver_id else None
    owner = owner_for(policy, conversation, solver)
    for step in policy.steps.all():
        _schedule_step(conversation, step, owner, conversation.solved_at)
