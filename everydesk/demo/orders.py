"""Demo orders and tier rules, so customer pages show real figures and the rules at work.

A few hundred orders over the last year for some of the demo customers, imported
through the real import (customers/orders.py), which also runs the rules.
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from everydesk.customers.models import Customer, Metric, Tier, TierRule
from everydesk.customers.orders import Summary, import_orders

BUYERS = 120  # customers with orders; the portal customer is always one of them
PRODUCTS = (("LAMP-1", "39.90"), ("BULB-4", "12.50"), ("DESK-OAK", "329.00"), ("CHAIR-2", "149.00"))
RULES = (("vip", Metric.LIFETIME_VALUE, Decimal("1500")), ("silver", Metric.ORDER_COUNT, 5))


def create_rules() -> None:
    for slug, metric, threshold in RULES:
        tier = Tier.objects.filter(slug=slug).first()
        if tier is not None:
            TierRule.objects.get_or_create(tier=tier, metric=metric, threshold=threshold)


def create_orders(*, seed: int, portal_email: str) -> Summary:
    rng = random.Random(seed)
    emails = list(Customer.objects.order_by("pk").values_list("email", flat=True)[:BUYERS])
    if portal_email not in emails:
        emails.append(portal_email)
    now = timezone.now()
    rows: list[tuple[int, dict[str, object]]] = []
    for email in emails:
        for _ in range(8 if email == portal_email else rng.randint(1, 7)):
            rows.append((len(rows) + 1, _order(rng, email, now, len(rows) + 1)))
    create_rules()
    return import_orders(rows)


def _order(rng: random.Random, email: str, now: dt.datetime, n: int) -> dict[str, object]:
    picked = rng.sample(PRODUCTS, rng.randint(1, 3))
    quantities = [rng.randint(1, 3) for _ in picked]
    amount = sum(Decimal(price) * q for (_, price), q in zip(picked, quantities, strict=True))
    return {
        "number": f"DEMO-{n:05d}",
        "email": email,
        "placed_at": (now - dt.timedelta(days=rng.uniform(1, 365))).isoformat(),
        "amount": str(amount),
        "items": [
            {"sku": sku, "quantity": q} for (sku, _), q in zip(picked, quantities, strict=True)
        ],
    }
