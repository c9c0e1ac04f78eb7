"""Survey answers in the desk: the recent ones, and those about one conversation."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from everydesk.conversations import access as conversation_access
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.lib.keyset import BadCursor, paginate
from everydesk.surveys.access import visible_surveys
from everydesk.surveys.models import SurveyKind

PAGE_SIZE = 50
NEWEST_ANSWERED = ("answered_at", "id")


@require_GET
@staff_required
def recent_answers(request: DeskRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    answers = visible_surveys(request.user).filter(answered_at__isnull=False)
    if kind in SurveyKind.values:
        answers = answers.filter(kind=kind)
    answers = answers.select_related("customer", "conversation", "recovery", "agent")
    try:
        page = paginate(
            answers,
            fields=NEWEST_ANSWERED,
            after=request.GET.get("after"),
            limit=PAGE_SIZE,
            descending=True,
        )
    except BadCursor:
        return redirect("surveys:recent")
    context = {"page": page, "kind": kind, "kinds": SurveyKind.choices}
    return render(request, "surveys/recent.html", context)


@require_GET
@staff_required
def conversation_surveys(request: DeskRequest, conversation_id: int) -> HttpResponse:
    """The sidebar card, loaded after the page like "similar solved conversations":
    this conversation's rating, the customer's latest NPS, and any recovery it opened."""
    conversation = conversation_access.get_conversation_for(request.user, conversation_id)
    surveys = visible_surveys(request.user).select_related("recovery")
    rated = surveys.filter(conversation=conversation).first()
    nps = (
        surveys.filter(customer_id=conversation.customer_id, kind=SurveyKind.NPS)
        .filter(answered_at__isnull=False)
        .order_by("-answered_at")
        .first()
    )
    recovery_for = surveys.filter(recovery=conversation).select_related("conversation").first()
    context = {"rated": rated, "nps": nps, "recovery_for": recovery_for}
    return render(request, "surveys/_sidebar.html", context)
