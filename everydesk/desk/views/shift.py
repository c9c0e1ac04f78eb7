"""The shift inbox: what someone on a front-line shift may take, and the buttons that take it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.frontline import routing, shift_inbox
from everydesk.frontline.models import ShiftTake
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import BadCursor

# The other front-line piece serves each person's shift list here (linked by path).
SHIFTS_PAGE = "/desk/shifts/"


def _pool_page(request: DeskRequest) -> shift_inbox.Page:
    try:
        return shift_inbox.page(request.GET.get("after") or None)
    except BadCursor:  # an old or edited link: start from the best again
        return shift_inbox.page()


@require_GET
@staff_required
def shift_inbox_page(request: DeskRequest) -> HttpResponse:
    user = request.user
    shift = shift_inbox.current_shift(user) if shift_inbox.may_use(user) else None
    context: dict[str, object] = {"shift": shift, "shifts_page": SHIFTS_PAGE}
    if shift is None:
        context["may_use"] = shift_inbox.may_use(user)
        context["next_shift"] = shift_inbox.next_shift(user) if context["may_use"] else None
        return render(request, "desk/shift_off.html", context)
    context["taken"] = list(
        ShiftTake.objects.filter(shift=shift, user=user)
        .select_related("conversation")
        .order_by("-taken_at", "-id")
    )
    context["page"] = _pool_page(request)
    context["paged"] = bool(request.GET.get("after"))
    return render(request, "desk/shift.html", context)


@require_POST
@staff_required
def take_next(request: DeskRequest) -> HttpResponse:
    try:
        conversation = routing.take_next(user=request.user)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("desk:shift")
    if conversation is None:
        messages.info(request, "Nothing suitable is waiting right now. Thank you for checking!")
        return redirect("desk:shift")
    messages.success(request, f"#{conversation.pk} is yours now.")
    return redirect("desk:conversation", conversation_id=conversation.pk)


@require_POST
@staff_required
def take(request: DeskRequest, conversation_id: int) -> HttpResponse:
    try:
        conversation = routing.take(user=request.user, conversation_id=conversation_id)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("desk:shift")
    messages.success(request, f"#{conversation.pk} is yours now.")
    return redirect("desk:conversation", conversation_id=conversation.pk)
