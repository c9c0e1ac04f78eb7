"""The portal's "rate this conversation", for the signed-in customer."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from everydesk.conversations import access
from everydesk.lib.errors import ActionError
from everydesk.portal.decorators import PortalRequest, customer_required
from everydesk.surveys import actions
from everydesk.surveys.forms import AnswerForm
from everydesk.surveys.models import CSAT_SCALE


@customer_required
@require_POST
def rate(request: PortalRequest, conversation_id: int) -> HttpResponse:
    conversation = access.get_conversation_for(request.user, conversation_id)
    form = AnswerForm(request.POST, scale=CSAT_SCALE)
    if form.is_valid():
        try:
            actions.rate_conversation(
                customer=request.customer,
                conversation=conversation,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ActionError as error:
            status = 409 if error.code == "conflict" else 400
            return render(
                request,
                "surveys/portal_refused.html",
                {"conversation": conversation, "message": error.message},
                status=status,
            )
        messages.success(request, "Thank you for rating this conversation.")
        return redirect("portal:conversation", conversation.pk)
    return render(
        request,
        "surveys/portal_refused.html",
        {"conversation": conversation, "message": "Please choose a score from 1 to 5."},
        status=400,
    )
