"""Follow-ups after a complaint: the list (soonest due first) and recording an outcome.

Admins, agents and managers see every follow-up; employees their own; customers none
(recovery/access.py).
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.follow_ups import FollowUpListQuery, FollowUpOut, FollowUpPage, OutcomeIn
from everydesk.lib.keyset import paginate
from everydesk.recovery import actions
from everydesk.recovery.access import get_follow_up_for, visible_follow_ups
from everydesk.recovery.models import FollowUp

router = Router(tags=["follow-ups"])


@router.get("", response={200: FollowUpPage, **errors(400, 401, 422)})
def list_follow_ups(request: HttpRequest, query: Query[FollowUpListQuery]) -> dict:
    """Follow-ups you may see, soonest due first."""
    user = caller(request)
    rows = visible_follow_ups(user).filter(status=query.status)
    if query.owner:
        rows = rows.filter(owner_id=user.pk if query.owner == "me" else int(query.owner))
    if query.due is not None:
        now = timezone.now()
        rows = rows.filter(due_at__lte=now) if query.due else rows.filter(due_at__gt=now)
    page = paginate(
        rows.select_related("customer__tier", "owner"),
        fields=("due_at", "id"),
        after=query.after,
        limit=query.limit,
    )
    return {"items": page.items, "next": page.next_cursor}


@router.get("/{follow_up_id}", response={200: FollowUpOut, **errors(401, 404)})
def get_follow_up(request: HttpRequest, follow_up_id: int) -> FollowUp:
    return get_follow_up_for(caller(request), follow_up_id)


@router.post("/{follow_up_id}/outcome", response={200: FollowUpOut, **errors(400, 401, 404, 409)})
def record_outcome(request: HttpRequest, follow_up_id: int, payload: OutcomeIn) -> FollowUp:
    """What came of the contact; an unhappy customer's complaint goes back into the queue."""
    user = caller(request)
    follow_up = get_follow_up_for(user, follow_up_id)
    actions.record_outcome(
        follow_up=follow_up, actor=user, outcome=payload.outcome, note=payload.note
    )
    return get_follow_up_for(user, follow_up_id)
