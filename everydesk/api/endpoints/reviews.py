"""Mentor review: ask for one on a draft reply, list what waits for you, decide."""

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status

from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.shift import ChangesIn, ReviewIn, ReviewList, ReviewOut
from everydesk.conversations import access
from everydesk.frontline import review, shift_inbox
from everydesk.frontline.models import ReplyReview
from everydesk.lib.errors import ActionError

router = Router(tags=["reviews"])

PENDING_SHOWN = 100


@router.post(
    "/conversations/{conversation_id}/reviews",
    response={201: ReviewOut, **errors(400, 401, 403, 404, 409, 422)},
)
def ask_review(request: HttpRequest, conversation_id: int, payload: ReviewIn) -> Status:
    """Hold a draft reply for a mentor. Nothing is sent to the customer until approval."""
    user = caller(request)
    conversation = access.get_conversation_for(user, conversation_id)
    if not shift_inbox.may_use(user):
        raise PermissionDenied("Agents send their replies themselves; reviews are for the others.")
    held = review.request_review(conversation=conversation, author=user, body=payload.body)
    return Status(201, held)


@router.get("/reviews", response={200: ReviewList, **errors(401, 403)})
def pending_reviews(request: HttpRequest) -> dict:
    """Draft replies waiting for your review, oldest first."""
    user = caller(request)
    require_staff(user, "review replies")
    return {"items": list(review.pending_for(user).select_related("mentor")[:PENDING_SHOWN])}


def _refused(error: ActionError) -> NoReturn:
    """A review that is not this caller's to decide is missing to them (404)."""
    if error.code == "not_found":
        raise Http404(error.message) from error
    raise error


@router.post("/reviews/{review_id}/approve", response={200: ReviewOut, **errors(401, 404, 409)})
def approve_review(request: HttpRequest, review_id: int) -> ReplyReview:
    """Send the draft to the customer as its author wrote it."""
    try:
        return review.approve(review_id=review_id, mentor=caller(request))
    except ActionError as error:
        _refused(error)


@router.post(
    "/reviews/{review_id}/request-changes",
    response={200: ReviewOut, **errors(400, 401, 404, 409, 422)},
)
def request_review_changes(request: HttpRequest, review_id: int, payload: ChangesIn) -> ReplyReview:
    """Send the draft back to its author with a comment; nothing reaches the customer."""
    try:
        return review.request_changes(
            review_id=review_id, mentor=caller(request), comment=payload.comment
        )
    except ActionError as error:
        _refused(error)
