"""Who sees and works which follow-up. Every view and endpoint asks here.

Admins, agents and managers see every follow-up (they cover for each other);
employees only those they own; customers and anyone else none. What may not be
seen is a 404, as for conversations.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.recovery.models import FollowUp, FollowUpStatus


def visible_follow_ups(user: User) -> QuerySet[FollowUp]:
    everything = FollowUp.objects.all()
    if not user.is_authenticated or not user.is_active:
        return everything.none()
    if user.is_agent_or_admin:
        return everything
    if user.role == Role.EMPLOYEE:
        return everything.filter(owner=user)
    return everything.none()


def get_follow_up_for(user: User, follow_up_id: int) -> FollowUp:
    follow_up = (
        visible_follow_ups(user)
        .select_related("conversation", "customer", "owner")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        raise Http404("No such follow-up.")
    return follow_up


def due_for(user: User) -> QuerySet[FollowUp]:
    """What this person should do now: their own pending follow-ups whose time has come."""
    return visible_follow_ups(user).filter(
        owner=user, status=FollowUpStatus.PENDING, due_at__lte=timezone.now()
    )
