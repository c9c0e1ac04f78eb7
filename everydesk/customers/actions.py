"""Writes to customer profiles."""

from everydesk.customers.models import Customer, Organisation, Tier
from everydesk.lib import direct_sql
from everydesk.lib.errors import ActionError


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_or_create_customer(*, email: str, name: str = "") -> Customer:
    """The one way a door turns an address into a profile."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise ActionError("A valid email address is required.", field="email")
    # Every door asks this for every message: the compiled-once read saves the
    # ORM's per-query compilation on the hottest path (lib/direct_sql.py).
    customer = direct_sql.get_by(Customer, "email", email)
    if customer:
        if name and not customer.name:
            customer.name = name[:200]
            customer.save(update_fields=["name"])
        return customer
    # No savepoint (callers inside a transaction, such as each message of a mail
    # import, pay two round trips for one): a conflict means another writer created
    # the same address a moment ago, and then its row is the one.
    created = direct_sql.insert_new([Customer(email=email, name=name[:200])], unique="email")
    return created[0] if created else Customer.objects.get(email=email)


def create_customer(
    *,
    email: str,
    name: str = "",
    phone: str = "",
    tier: Tier | None = None,
    organisation: Organisation | None = None,
) -> Customer:
    email = normalise_email(email)
    if Customer.objects.filter(email=email).exists():
        raise ActionError(
            f"A customer with the address {email} exists already.", code="conflict", field="email"
        )
    customer = find_or_create_customer(email=email, name=name)
    customer.phone, customer.tier, customer.organisation = phone, tier, organisation
    customer.save(update_fields=["phone", "tier", "organisation"])
    return customer


def update_customer(*, customer: Customer, **changes: object) -> Customer:
    allowed = {"name", "phone", "tier", "organisation"}
    unknown = set(changes) - allowed
    if unknown:
        raise ActionError(f"Cannot change {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(customer, field, value)
    if changes:
        customer.save(update_fields=list(changes))
    return customer
