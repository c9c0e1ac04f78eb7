"""Playbook actions: the spending ledger, taking an action, and the other system's outcome."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from everydesk.accounts.models import Role, User
from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.actions import (
    ActionIn,
    ActionListQuery,
    ActionOut,
    ActionPage,
    OutcomeIn,
)
from everydesk.api.schemas.errors import errors
from everydesk.conversations import access
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import paginate
from everydesk.playbook import actions, spending
from everydesk.playbook.models import ActionType, TakenAction

router = Router(tags=["actions"])

NEWEST = ("created_at", "id")


def _ledger(user: User, query: ActionListQuery) -> QuerySet[TakenAction]:
    found = TakenAction.objects.select_related("action_type", "actor", "decided_by")
    if not user.sees_insights:
        # Everyone else sees their own actions, whatever they ask for.
        found = found.filter(actor=user)
    if query.actor:
        found = found.filter(actor_id=query.actor)
    if query.team:
        found = found.filter(team_id=query.team)
    if query.status:
        found = found.filter(status=query.status)
    if query.period:
        start, end = spending.bounds(query.period, query.start)
        found = found.filter(created_at__gte=start, created_at__lt=end)
    return found


@router.get("", response={200: ActionPage, **errors(400, 401, 403, 422)})
def list_actions(request: HttpRequest, query: Query[ActionListQuery]) -> dict:
    """Playbook actions, newest first: everyone's for managers and admins, one's own otherwise."""
    user = caller(request)
    require_staff(user, "list playbook actions")
    page = paginate(
        _ledger(user, query), fields=NEWEST, after=query.after, limit=query.limit, descending=True
    )
    return {"items": page.items, "next": page.next_cursor}


@router.post("", response={201: ActionOut, **errors(400, 401, 403, 404, 409, 422)})
def take_action(request: HttpRequest, payload: ActionIn) -> Status[TakenAction]:
    """Take an action on a conversation. Above your limits it is created awaiting approval."""
    user = caller(request)
    require_staff(user, "take playbook actions")
    conversation = access.get_conversation_for(user, payload.conversation_id)
    action_type = ActionType.objects.filter(slug=payload.type, is_active=True).first()
    if action_type is None:
        raise ActionError(f"There is no action type {payload.type!r}.", field="type")
    taken = actions.take_action(
        conversation=conversation,
        actor=user,
        action_type=action_type,
        amount=payload.amount,
        values=payload.values,
        message=payload.message,
    )
    return Status(201, taken)


@router.post(
    "/{action_id}/outcome", response={200: ActionOut, **errors(400, 401, 403, 404, 409, 422)}
)
def report_outcome(request: HttpRequest, action_id: int, payload: OutcomeIn) -> TakenAction:
    """The company's other system says how the action went: completed or failed (which gives
    the budget back). Admin tokens only: the integration's token belongs to an admin."""
    user = caller(request)
    if user.role != Role.ADMIN:
        raise PermissionDenied("Only an admin's (integration) token can report outcomes.")
    action = TakenAction.objects.select_related("action_type").filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action.")
    return actions.report_outcome(
        action=action,
        reporter=user,
        outcome=payload.status,
        reference=payload.reference,
        message=payload.message,
    )
