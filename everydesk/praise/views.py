"""The praise wall (every member of staff), "my praise", and hiding an item (managers)."""

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.accounts.models import STAFF_ROLES, User
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.lib.errors import ActionError
from everydesk.praise import actions
from everydesk.praise.access import get_praise_to_moderate, may_hide, wall_for
from everydesk.praise.models import Praise

PAGE = 50


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.display_name


class WallFilter(forms.Form):
    """A bad filter value is dropped, never an error page."""

    person = StaffChoice(
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
            "first_name", "last_name"
        ),
        required=False,
    )
    department = forms.CharField(max_length=100, required=False)


def _listed(praise: QuerySet[Praise]) -> list[Praise]:
    return list(praise.select_related("employee").order_by("-created_at", "-id")[:PAGE])


@require_GET
@staff_required
def wall(request: DeskRequest) -> HttpResponse:
    items = wall_for(request.user)
    showing_hidden = request.GET.get("hidden") == "1" and may_hide(request.user)
    if showing_hidden:  # where a manager finds what was hidden, to show it again
        items = Praise.objects.filter(hidden_at__isnull=False)
    filters = WallFilter(request.GET)
    if filters.is_valid():
        if filters.cleaned_data["person"]:
            items = items.filter(employee=filters.cleaned_data["person"])
        if filters.cleaned_data["department"]:
            items = items.filter(employee__department=filters.cleaned_data["department"])
    departments = (
        User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    context = {
        "items": _listed(items),
        "filters": filters,
        "departments": list(departments),
        "may_hide": may_hide(request.user),
        "showing_hidden": showing_hidden,
    }
    return render(request, "praise/wall.html", context)


@require_GET
@staff_required
def mine(request: DeskRequest) -> HttpResponse:
    """Everything said about this person, hidden items too (they were told of them)."""
    items = _listed(Praise.objects.filter(employee=request.user))
    return render(request, "praise/mine.html", {"items": items})


@require_POST
@staff_required
def hide(request: DeskRequest, praise_id: int) -> HttpResponse:
    praise = get_praise_to_moderate(request.user, praise_id)
    try:
        actions.hide(praise=praise, by=request.user, reason=request.POST.get("reason", ""))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Hidden from the wall.")
    return redirect("praise:wall")


@require_POST
@staff_required
def show(request: DeskRequest, praise_id: int) -> HttpResponse:
    actions.show(praise=get_praise_to_moderate(request.user, praise_id), by=request.user)
    messages.success(request, "Shown on the wall again.")
    return redirect("praise:wall")
