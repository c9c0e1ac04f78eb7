"""The shift inbox for people on front-line shifts: what is offered, and taking one."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from everydesk.accounts.models import User
from everydesk.api.auth import caller
from everydesk.api.endpoints.conversations import with_details
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.shift import ShiftInboxOut, TakenOut
from everydesk.conversations.models import Conversation
from everydesk.frontline import routing, shift_inbox

router = Router(tags=["shift inbox"])


def _shift_user(request: HttpRequest) -> User:
    user = caller(request)
    if not shift_inbox.may_use(user):
        raise PermissionDenied("The shift inbox is for staff on front-line shifts, not agents.")
    return user


def _detailed(user: User, conversation: Conversation | None) -> Conversation | None:
    if conversation is None:
        return None
    return with_details(Conversation.objects.filter(pk=conversation.pk), user).get()


@router.get("", response={200: ShiftInboxOut, **errors(400, 401, 403, 422)})
def shift_inbox_list(request: HttpRequest, after: str | None = None) -> dict:
    """Your running shift and the conversations you may take, best first (25 a page;
    pass `next` as `after` for the following page)."""
    user = _shift_user(request)
    shift = shift_inbox.current_shift(user)
    if shift is None:
        return {"shift": None, "next_shift": shift_inbox.next_shift(user), "items": []}
    found = shift_inbox.page(after)
    ids = [c.pk for c in found.conversations]
    by_id = {c.pk: c for c in with_details(Conversation.objects.filter(pk__in=ids), user)}
    return {
        "shift": shift,
        "next_shift": None,
        "items": [by_id[pk] for pk in ids if pk in by_id],
        "next": found.next_cursor,
    }


@router.post("/take-next", response={200: TakenOut, **errors(401, 403, 409)})
def take_next(request: HttpRequest) -> dict:
    """Assign the best suitable conversation to yourself (409 when you are not on shift)."""
    user = _shift_user(request)
    return {"conversation": _detailed(user, routing.take_next(user=user))}


@router.post("/take/{conversation_id}", response={200: TakenOut, **errors(401, 403, 409)})
def take(request: HttpRequest, conversation_id: int) -> dict:
    """Assign this conversation from the shift inbox to yourself."""
    user = _shift_user(request)
    conversation = routing.take(user=user, conversation_id=conversation_id)
    return {"conversation": _detailed(user, conversation)}
