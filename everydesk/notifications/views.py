from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.notifications import actions
from everydesk.notifications.models import Notification

PAGE = 50


@require_GET
@staff_required
def notification_list(request: DeskRequest) -> HttpResponse:
    notes = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")[:PAGE]
    return render(request, "notifications/list.html", {"notes": notes})


@require_GET
@staff_required
def badge(request: DeskRequest) -> HttpResponse:
    """Loaded by the bell after the page, so no page pays the count in its own queries."""
    return render(
        request, "notifications/_badge.html", {"count": actions.unread_count(request.user)}
    )


@require_POST
@staff_required
def mark_read(request: DeskRequest) -> HttpResponse:
    raw = request.POST.getlist("id")
    ids = [int(value) for value in raw if value.isdigit()] if raw else None
    actions.mark_read(user=request.user, ids=ids)
    return redirect("notifications:list")
