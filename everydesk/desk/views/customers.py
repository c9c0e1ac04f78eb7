"""A customer's page: profile, tier and its benefits, figures, orders, every
conversation across doors, the audit trail, and the form that changes their tier."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.conversations import access
from everydesk.customers import profile, tiers
from everydesk.customers.models import Customer
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.desk.forms import TierForm
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import BadCursor, paginate
from everydesk.sla.models import SlaPolicy

ORDERS_SHOWN = 20
EVENTS_SHOWN = 50


def _customer(request: DeskRequest, customer_id: int) -> Customer:
    """The customer with what the page shows beside the row, or 404 if unseen."""
    found = (
        profile.with_first_contact(access.visible_customers(request.user))
        .select_related("tier", "tier__owner", "organisation")
        .filter(pk=customer_id)
        .first()
    )
    if found is None:
        raise Http404("No such customer.")
    return found


def _context(request: DeskRequest, customer: Customer, form: TierForm) -> dict[str, Any]:
    try:
        conversations = paginate(
            profile.history(request.user, customer),
            fields=("updated_at", "id"),
            after=request.GET.get("after"),
            limit=profile.HISTORY_PAGE,
            descending=True,
        )
    except BadCursor:
        raise Http404("No such page.") from None
    orders = list(customer.orders.order_by("-placed_at", "-id")[: ORDERS_SHOWN + 1])
    return {
        "customer": customer,
        "conversations": conversations,
        "orders": orders[:ORDERS_SHOWN],
        "more_orders": len(orders) > ORDERS_SHOWN,
        "events": list(
            customer.events.select_related("actor").order_by("-created_at", "-id")[:EVENTS_SHOWN]
        ),
        "sla_policies": list(SlaPolicy.objects.filter(tier_id=customer.tier_id))
        if customer.tier_id
        else [],
        "can_change_tier": tiers.can_change_tier(request.user),
        "currency": settings.CURRENCY,
        "tier_form": form,
    }


@require_GET
@staff_required
def customer_page(request: DeskRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    form = TierForm(initial={"tier": customer.tier_id})
    return render(request, "desk/customer.html", _context(request, customer, form))


@require_POST
@staff_required
def change_tier(request: DeskRequest, customer_id: int) -> HttpResponse:
    customer = _customer(request, customer_id)
    if not tiers.can_change_tier(request.user):
        raise Http404("No such customer.")
    form = TierForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                tiers.assign_tier(
                    customer=customer,
                    tier=form.cleaned_data["tier"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
        except ActionError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(request, "Tier changed; the rules will leave it as you set it.")
            return redirect("desk:customer", customer_id=customer.pk)
    context = _context(request, customer, form)
    return render(request, "desk/customer.html", context, status=400)
