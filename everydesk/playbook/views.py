"""The playbook in the desk: the "What you can do" panel beside a conversation, the
form that takes an action, the approvals page and the spending page.

Forms work with and without HTMX, like the conversation page: a success goes
back to the conversation (so the reply and the timeline line show), a failure
shows the form again with the reason.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from everydesk.conversations import access
from everydesk.conversations.models import Conversation
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.lib.errors import ActionError
from everydesk.playbook import actions, policies, spending
from everydesk.playbook.forms import TakeActionForm
from everydesk.playbook.models import ActionStatus, ActionType, TakenAction

APPROVALS_SHOWN = 200


def _workable(request: DeskRequest, conversation_id: int) -> Conversation:
    conversation = access.get_conversation_for(request.user, conversation_id)
    if not access.can_work(request.user, conversation):
        raise Http404("No such conversation.")
    return conversation


@require_GET
@staff_required
def panel(request: DeskRequest, conversation_id: int) -> HttpResponse:
    """What this person may do for this customer, with what is left of each budget."""
    conversation = _workable(request, conversation_id)
    context = {
        "conversation": conversation,
        "allowances": policies.allowances(request.user, conversation.customer),
        "recent": conversation.playbook_actions.select_related("action_type").order_by("-pk")[:5],
    }
    template = "playbook/_panel.html" if request.htmx else "playbook/panel.html"
    return render(request, template, context)


def _allowance_for(request: DeskRequest, conversation: Conversation, slug: str) -> Any:
    action_type = get_object_or_404(ActionType, slug=slug, is_active=True)
    allowance = policies.allowance(request.user, conversation.customer, action_type)
    if allowance is None:
        raise Http404("No such action for you here.")
    return allowance


def _form_page(
    request: DeskRequest,
    conversation: Conversation,
    allowance: Any,
    form: TakeActionForm,
    status: int = 200,
) -> HttpResponse:
    context = {"conversation": conversation, "allowance": allowance, "form": form}
    template = "playbook/_take.html" if request.htmx else "playbook/take.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def take(request: DeskRequest, conversation_id: int, slug: str) -> HttpResponse:
    conversation = _workable(request, conversation_id)
    allowance = _allowance_for(request, conversation, slug)
    if request.method == "GET":
        return _form_page(request, conversation, allowance, TakeActionForm(allowance.action_type))
    form = TakeActionForm(allowance.action_type, request.POST)
    failed = 200 if request.htmx else 400  # HTMX swaps only 2xx answers
    if not form.is_valid():
        return _form_page(request, conversation, allowance, form, failed)
    try:
        taken = actions.take_action(
            conversation=conversation,
            actor=request.user,
            action_type=allowance.action_type,
            amount=form.cleaned_data.get("amount"),
            values=form.values(),
            message=form.cleaned_data["message"],
        )
    except ActionError as error:
        form.add_error(form.field_name(error.field), error.message)
        return _form_page(request, conversation, allowance, form, failed)
    messages.success(request, _result(taken))
    url = reverse("desk:conversation", args=[conversation.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _result(taken: TakenAction) -> str:
    what = actions.describe(taken)
    if taken.status == ActionStatus.AWAITING_APPROVAL:
        return f"{what} is above your limit: it was sent for approval."
    return f"{what} done." + (" The customer was sent your message." if taken.message else "")


@require_GET
@staff_required
def approvals(request: DeskRequest) -> HttpResponse:
    """Requests waiting for a decision that this person may take, oldest first."""
    waiting = (
        TakenAction.objects.filter(
            status=ActionStatus.AWAITING_APPROVAL,
            conversation__in=access.visible_conversations(request.user),
        )
        .exclude(actor=request.user)
        .select_related("action_type", "actor", "customer", "conversation")
        .order_by("created_at", "pk")[:APPROVALS_SHOWN]
    )
    decides = policies.decider(request.user)
    mine = [a for a in waiting if decides(a.action_type, a.customer.tier_id, a.amount)]
    return render(request, "playbook/approvals.html", {"requests": mine})


def _request_for(request: DeskRequest, action_id: int) -> TakenAction:
    action = get_object_or_404(
        TakenAction.objects.select_related("action_type", "actor", "customer", "conversation"),
        pk=action_id,
        conversation__in=access.visible_conversations(request.user),
    )
    if not policies.may_decide(request.user, action.action_type, action.customer, action.amount):
        raise Http404("No such request.")
    return action


@require_POST
@staff_required
def approve(request: DeskRequest, action_id: int) -> HttpResponse:
    action = _request_for(request, action_id)
    try:
        actions.approve(action=action, actor=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Approved: {actions.describe(action)}.")
    return redirect("playbook:approvals")


@require_POST
@staff_required
def deny(request: DeskRequest, action_id: int) -> HttpResponse:
    action = _request_for(request, action_id)
    try:
        actions.deny(action=action, actor=request.user, reason=request.POST.get("reason", ""))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Denied: {actions.describe(action)}.")
    return redirect("playbook:approvals")


@require_GET
@staff_required
def spending_page(request: DeskRequest) -> HttpResponse:
    """Managers and admins see everyone; anyone else sees their own spending."""
    try:
        choice = spending.Choice.from_query(request.GET, request.user)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("playbook:spending")
    context = {
        "choice": choice,
        "rows": spending.rows(choice),
        "periods": spending.PERIODS,
        "teams": spending.teams_for(request.user),
    }
    return render(request, "playbook/spending.html", context)
