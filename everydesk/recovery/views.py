"""Follow-ups in the desk: the list (due first), one follow-up, and its three writes."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.lib.errors import ActionError
from everydesk.recovery import actions
from everydesk.recovery.access import get_follow_up_for, visible_follow_ups
from everydesk.recovery.forms import OutcomeForm, ReassignForm, SnoozeForm
from everydesk.recovery.models import FollowUp, FollowUpStatus

LIST_SIZE = 100


@require_GET
@staff_required
def follow_up_list(request: DeskRequest) -> HttpResponse:
    """Pending follow-ups, soonest first: mine by default, everyone's for the whole desk."""
    user = request.user
    everyone = user.is_agent_or_admin and request.GET.get("owner") == "all"
    rows = visible_follow_ups(user).filter(status=FollowUpStatus.PENDING)
    if not everyone:
        rows = rows.filter(owner=user)
    rows = rows.select_related("customer", "owner", "conversation").order_by("due_at", "id")
    context = {"rows": list(rows[:LIST_SIZE]), "everyone": everyone, "now": timezone.now()}
    return render(request, "recovery/list.html", context)


def _page(
    request: DeskRequest, follow_up: FollowUp, *, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    context = {
        "follow_up": follow_up,
        "outcome_form": forms_.get("outcome_form") or OutcomeForm(),
        "snooze_form": forms_.get("snooze_form") or SnoozeForm(),
        "reassign_form": forms_.get("reassign_form") or ReassignForm(),
        "may_reassign": request.user.is_agent_or_admin,
    }
    return render(request, "recovery/follow_up.html", context, status=status)


@require_GET
@staff_required
def follow_up_page(request: DeskRequest, follow_up_id: int) -> HttpResponse:
    return _page(request, get_follow_up_for(request.user, follow_up_id))


def _write(request: DeskRequest, follow_up_id: int, name: str, form: forms.Form) -> HttpResponse:
    """Validate, call the action, and go back to the page; errors are shown on the form."""
    follow_up = get_follow_up_for(request.user, follow_up_id)
    if form.is_valid():
        try:
            WRITES[name](follow_up, request.user, form.cleaned_data)
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("recovery:follow_up", follow_up.pk)
    return _page(request, follow_up, status=400, **{name: form})


WRITES = {
    "outcome_form": lambda f, u, d: actions.record_outcome(
        follow_up=f, actor=u, outcome=d["outcome"], note=d["note"]
    ),
    "snooze_form": lambda f, u, d: actions.snooze(follow_up=f, actor=u, until=d["until"]),
    "reassign_form": lambda f, u, d: actions.reassign(follow_up=f, actor=u, owner=d["owner"]),
}


@require_POST
@staff_required
def outcome(request: DeskRequest, follow_up_id: int) -> HttpResponse:
    return _write(request, follow_up_id, "outcome_form", OutcomeForm(request.POST))


@require_POST
@staff_required
def snooze(request: DeskRequest, follow_up_id: int) -> HttpResponse:
    return _write(request, follow_up_id, "snooze_form", SnoozeForm(request.POST))


@require_POST
@staff_required
def reassign(request: DeskRequest, follow_up_id: int) -> HttpResponse:
    return _write(request, follow_up_id, "reassign_form", ReassignForm(request.POST))
