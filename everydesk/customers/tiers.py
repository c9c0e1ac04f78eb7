"""Moving customers between tiers, by a person or by a rule, always on the record."""

from django.db import transaction

from everydesk.accounts.models import User
from everydesk.customers.models import Customer, CustomerEvent, CustomerEventType, Tier
from everydesk.lib.errors import ActionError


@transaction.atomic
def assign_tier(
    *, customer: Customer, tier: Tier | None, actor: User | None, reason: str
) -> Customer:
    """A person (actor) or a rule (actor None) puts a customer in a tier.

    A person must say why, and their choice holds against the rules until a person
    changes it again; a rule never overrides a person.
    """
    reason = reason.strip()
    if actor is not None and not reason:
        raise ActionError("Say why this customer changes tier.", field="reason")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if actor is None and customer.tier_locked:
        return customer
    old = customer.tier
    customer.tier = tier
    customer.tier_locked = actor is not None
    customer.tier_reason = reason[:255]
    customer.save(update_fields=["tier", "tier_locked", "tier_reason"])
    if old != tier:
        CustomerEvent.objects.create(
            customer=customer,
            type=CustomerEventType.TIER_CHANGED,
            actor=actor,
            data={
                "from": old.name if old else None,
                "to": tier.name if tier else None,
                "reason": customer.tier_reason,
            },
        )
    return customer
