"""The desk's webhooks page, for admins: endpoints (with their secrets), the delivery
log with filters, one delivery's attempts, resending and secret rotation."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.lib.errors import ActionError
from everydesk.webhooks import actions
from everydesk.webhooks.access import get_delivery_for, get_endpoint_for, require_webhooks
from everydesk.webhooks.forms import LogFilter, NewEndpointForm
from everydesk.webhooks.models import Delivery, Endpoint

LOG = 100


def _page(request: DeskRequest, form: NewEndpointForm, status: int = 200) -> HttpResponse:
    log = Delivery.objects.select_related("endpoint").order_by("-created_at", "-id")
    filters = LogFilter(request.GET)
    if filters.is_valid():
        if filters.cleaned_data["endpoint"]:
            log = log.filter(endpoint=filters.cleaned_data["endpoint"])
        if filters.cleaned_data["status"]:
            log = log.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["event"]:
            log = log.filter(event=filters.cleaned_data["event"])
    context = {
        "endpoints": Endpoint.objects.order_by("name"),
        "log": log[:LOG],
        "filters": filters,
        "form": form,
    }
    return render(request, "webhooks/page.html", context, status=status)


@require_GET
@staff_required
def webhooks_page(request: DeskRequest) -> HttpResponse:
    require_webhooks(request.user)
    return _page(request, NewEndpointForm())


@require_POST
@staff_required
def add_endpoint(request: DeskRequest) -> HttpResponse:
    require_webhooks(request.user)
    form = NewEndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    endpoint = actions.create_endpoint(**form.cleaned_data)
    messages.success(request, f"Endpoint {endpoint.name} added. Give its secret to the receiver.")
    return redirect("webhooks:page")


@require_POST
@staff_required
def rotate_secret(request: DeskRequest, endpoint_id: int) -> HttpResponse:
    endpoint = actions.rotate_secret(endpoint=get_endpoint_for(request.user, endpoint_id))
    messages.success(request, f"New secret for {endpoint.name}; the old one signs too for now.")
    return redirect("webhooks:page")


@require_GET
@staff_required
def delivery_page(request: DeskRequest, delivery_id: int) -> HttpResponse:
    delivery = get_delivery_for(request.user, delivery_id)
    attempts = delivery.attempt_log.order_by("started_at", "id")
    return render(request, "webhooks/delivery.html", {"delivery": delivery, "attempts": attempts})


@require_POST
@staff_required
def resend(request: DeskRequest, delivery_id: int) -> HttpResponse:
    delivery = get_delivery_for(request.user, delivery_id)
    try:
        actions.resend(delivery=delivery, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sent again.")
    return redirect("webhooks:delivery", delivery_id=delivery.pk)
