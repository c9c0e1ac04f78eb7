"""Customer profiles. Agents and admins manage them; a customer's token sees only itself."""

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from everydesk.accounts.models import User
from everydesk.api import lookups
from everydesk.api.auth import caller, require_agent_or_admin
from everydesk.api.schemas.customers import (
    CustomerIn,
    CustomerListQuery,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
)
from everydesk.api.schemas.errors import errors
from everydesk.conversations import access
from everydesk.customers import actions, profile, tiers
from everydesk.customers.models import Customer, Tier
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import paginate

router = Router(tags=["customers"])


@router.get("", response={200: CustomerPage, **errors(400, 401, 422)})
def list_customers(request: HttpRequest, query: Query[CustomerListQuery]) -> dict:
    """Customer profiles you may see, newest first. A customer's token sees only itself."""
    customers = access.visible_customers(caller(request)).select_related(
        "tier", "tier__owner", "organisation"
    )
    customers = profile.with_first_contact(customers)
    if query.email:
        customers = customers.filter(email=actions.normalise_email(query.email))
    page = paginate(
        customers,
        fields=("created_at", "id"),
        after=query.after,
        limit=query.limit,
        descending=True,
    )
    return {"items": page.items, "next": page.next_cursor}


@router.post("", response={201: CustomerOut, **errors(400, 401, 403, 409, 422)})
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    """Add a customer profile (agents and admins)."""
    require_agent_or_admin(caller(request), "add customers")
    customer = actions.create_customer(
        email=payload.email,
        name=payload.name,
        phone=payload.phone,
        tier=lookups.tier(payload.tier),
        organisation=lookups.organisation(payload.organisation_id),
    )
    return Status(201, customer)


@router.get("/{customer_id}", response={200: CustomerOut, **errors(401, 404)})
def get_customer(request: HttpRequest, customer_id: int) -> Customer:
    """One customer profile."""
    return access.get_customer_for(caller(request), customer_id)


@router.patch("/{customer_id}", response={200: CustomerOut, **errors(400, 401, 403, 404, 422)})
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch) -> Customer:
    """Change only the fields sent (agents and admins)."""
    user = caller(request)
    customer = access.get_customer_for(user, customer_id)
    require_agent_or_admin(user, "change customers")
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, object] = {k: v for k, v in sent.items() if k in ("name", "phone")}
    if "organisation_id" in sent:
        changes["organisation"] = lookups.organisation(sent["organisation_id"])
    with transaction.atomic():
        if "tier" in sent:
            _change_tier(customer, lookups.tier(sent["tier"]), user, sent.get("tier_reason", ""))
        actions.update_customer(customer=customer, **changes)
    return access.get_customer_for(user, customer_id)


def _change_tier(customer: Customer, tier: Tier | None, user: User, reason: str | None) -> None:
    """A tier set through the API is a person's choice like one made in the desk: it needs
    a reason, goes on the audit trail and holds against the rules."""
    try:
        tiers.assign_tier(customer=customer, tier=tier, actor=user, reason=reason or "")
    except ActionError as error:
        raise ActionError(error.message, code=error.code, field="tier_reason") from None
