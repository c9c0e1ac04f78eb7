"""Mentor review: the drafts waiting for this person, and approving or sending them back.

Asking for a review is part of the reply form (desk.views.conversation.reply)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.frontline import review
from everydesk.lib.errors import ActionError

PENDING_SHOWN = 100


def _list(request: DeskRequest, *, status: int = 200, **extra: object) -> HttpResponse:
    pending = list(review.pending_for(request.user)[:PENDING_SHOWN])
    return render(request, "desk/reviews.html", {"pending": pending, **extra}, status=status)


@require_GET
@staff_required
def review_list(request: DeskRequest) -> HttpResponse:
    return _list(request)


def _refused(request: DeskRequest, error: ActionError, **extra: object) -> HttpResponse:
    if error.code == "not_found":
        raise Http404(error.message)
    if error.field:
        return _list(request, status=400, error=error.message, **extra)
    messages.error(request, error.message)
    return redirect("desk:reviews")


@require_POST
@staff_required
def approve(request: DeskRequest, review_id: int) -> HttpResponse:
    try:
        done = review.approve(review_id=review_id, mentor=request.user)
    except ActionError as error:
        return _refused(request, error)
    messages.success(request, f"Approved: the reply on #{done.conversation_id} is sent.")
    return redirect("desk:reviews")


@require_POST
@staff_required
def request_changes(request: DeskRequest, review_id: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    try:
        done = review.request_changes(review_id=review_id, mentor=request.user, comment=comment)
    except ActionError as error:
        return _refused(request, error, failed_review=review_id, comment=comment)
    messages.success(
        request, f"Sent back to {done.author.display_name} with your comment; nothing was sent."
    )
    return redirect("desk:reviews")
