"""Emerging-issue alerts for the people who see the figures: the list, one alert,
acknowledging, resolving, and the one-step proactive message to affected customers."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.conversations import access as conversation_access
from everydesk.desk.decorators import DeskRequest, insights_required
from everydesk.lib.errors import ActionError
from everydesk.listening import actions, figures, outreach
from everydesk.listening.access import get_alert_for, sees_topics
from everydesk.listening.models import Alert, Outreach

EXAMPLES = 20
CUSTOMERS = 200


@require_GET
@insights_required
def alert_list(request: DeskRequest) -> HttpResponse:
    alerts = list(figures.recent_alerts()[:200]) if sees_topics(request.user) else []
    running = [a for a in alerts if a.is_active]
    resolved = [a for a in alerts if not a.is_active]
    return render(request, "desk/alerts.html", {"running": running, "resolved": resolved})


def _page(
    request: DeskRequest, alert: Alert, *, error: str = "", status: int = 200
) -> HttpResponse:
    voices = list(
        outreach.affected_voices(alert)
        .select_related("customer")
        .order_by("-created_at", "-pk")[:EXAMPLES]
    )
    customers = list(outreach.affected_customers(alert)[:CUSTOMERS])
    latest = {}
    visible = conversation_access.visible_conversations(request.user)
    for voice in (
        outreach.affected_voices(alert)
        .filter(customer__in=customers, conversation__in=visible)
        .order_by("created_at")
    ):
        latest[voice.customer_id] = voice.conversation_id
    reached = Outreach.objects.filter(alert=alert).count()
    context = {
        "alert": alert,
        "chart": figures.alert_chart(alert),
        "examples": voices,
        "customers": [(c, latest.get(c.pk)) for c in customers],
        "customer_count": outreach.affected_customers(alert).count(),
        "not_reached": outreach.not_yet_reached(alert).count(),
        "reached": reached,
        "placeholders": sorted(actions.OUTREACH_PLACEHOLDERS),
        "error": error,
        "posted": request.POST if error else {},
    }
    return render(request, "desk/alert.html", context, status=status)


@require_GET
@insights_required
def alert_page(request: DeskRequest, alert_id: int) -> HttpResponse:
    return _page(request, get_alert_for(request.user, alert_id))


def _change(
    request: DeskRequest, alert_id: int, change: Callable[..., object], done: str
) -> HttpResponse:
    """Apply one status change to the alert and come back to its page."""
    alert = get_alert_for(request.user, alert_id)
    try:
        change(alert=alert, actor=request.user)
    except ActionError as refused:
        return _page(request, alert, error=refused.message, status=400)
    messages.success(request, done)
    return redirect("desk:alert", alert.pk)


@require_POST
@insights_required
def acknowledge(request: DeskRequest, alert_id: int) -> HttpResponse:
    return _change(request, alert_id, actions.acknowledge_alert, "Alert acknowledged.")


@require_POST
@insights_required
def resolve(request: DeskRequest, alert_id: int) -> HttpResponse:
    return _change(request, alert_id, actions.resolve_alert, "Alert resolved.")


@require_POST
@insights_required
def send_outreach(request: DeskRequest, alert_id: int) -> HttpResponse:
    alert = get_alert_for(request.user, alert_id)
    waiting = outreach.not_yet_reached(alert).count()
    if not waiting:
        return _page(request, alert, error="Every affected customer has had it.", status=400)
    try:
        actions.send_outreach(
            alert=alert,
            actor=request.user,
            subject=request.POST.get("subject", ""),
            body=request.POST.get("body", ""),
        )
    except ActionError as refused:
        return _page(request, alert, error=refused.message, status=400)
    messages.success(
        request,
        f"Sending to {waiting} customer{'s' if waiting != 1 else ''}: each gets a new "
        "conversation with your message. The count below shows how many have it.",
    )
    return redirect("desk:alert", alert.pk)
