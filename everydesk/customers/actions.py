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


def find_or_create_customers(people: dict[str, str]) -> dict[str, int]:
    """find_or_create_customer for a batch: {email: name} to {email: customer id}.

    Addresses must be normalised already. Two statements for the whole batch (plus
    one to fill in names that were blank), where one by one would cost two per row.
    """
    found: dict[str, int] = {}
    unnamed: list[Customer] = []
    for pk, email, name in Customer.objects.filter(email__in=people).values_list(
        "pk", "email", "name"
    ):
        found[email] = pk
        if people[email] and not name:
            unnamed.append(Customer(pk=pk, name=people[email][:200]))
    Customer.objects.bulk_update(unnamed, ["name"])
    missing = [Customer(email=e, name=n[:200]) for e, n in people.items() if e not in found]
    for customer in direct_sql.insert_new(missing, unique="email"):
        found[customer.email] = customer.pk
    if len(found) < len(people):  # another writer created some a moment ago
        rest = [email for email in people if email not in found]
        found.update(Customer.objects.filter(email__in=rest).values_list("email", "pk"))
    return found


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
    # Not the tier: that changes through customers.tiers.assign_tier, with a reason.
    allowed = {"name", "phone", "organisation"}
    unknown = set(changes) - allowed
    if unknown:
        raise ActionError(f"Cannot change {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(customer, field, value)
    if changes:
        customer.save(update_fields=list(changes))
    return customer
