"""customers.tiers.apply_rules: figures earn tiers; a person's choice always stands."""

import io
from decimal import Decimal

from everydesk.customers import tiers
from everydesk.customers.models import Customer, CustomerEvent, Metric, Tier, TierRule
from everydesk.customers.orders import csv_rows, import_orders
from tests.customers.conftest import csv_text


def order(number: str, email: str, amount: str) -> tuple:
    return (number, email, "", "2026-03-01", amount, "EUR", "")


def import_rows(*rows: tuple):
    return import_orders(list(csv_rows(io.StringIO(csv_text(rows)))))


def tier_of(customer: Customer) -> str | None:
    customer.refresh_from_db()
    return customer.tier.slug if customer.tier else None


def make_rules(vip: Tier) -> Tier:
    silver = Tier.objects.create(name="Silver", slug="silver", rank=50)
    TierRule.objects.create(tier=vip, metric=Metric.LIFETIME_VALUE, threshold=Decimal("1000"))
    TierRule.objects.create(tier=silver, metric=Metric.ORDER_COUNT, threshold=3)
    return silver


def test_an_import_puts_customers_in_the_best_tier_they_qualify_for(customer, vip):
    make_rules(vip)
    summary = import_rows(
        order("A-1", "carol@example.com", "600"),
        order("A-2", "carol@example.com", "600"),
        order("B-1", "bob@example.com", "10"),
        order("B-2", "bob@example.com", "10"),
        order("B-3", "bob@example.com", "10"),
        order("C-1", "cy@example.com", "10"),
    )
    assert summary.tier_changes == 2
    assert tier_of(customer) == "vip"
    assert tier_of(Customer.objects.get(email="bob@example.com")) == "silver"
    assert tier_of(Customer.objects.get(email="cy@example.com")) is None


def test_a_customer_meeting_two_rules_gets_the_better_tier(customer, vip):
    make_rules(vip)
    import_rows(*(order(f"A-{n}", "carol@example.com", "400") for n in range(3)))
    assert tier_of(customer) == "vip"


def test_every_rule_change_is_on_the_audit_trail(customer, vip):
    make_rules(vip)
    import_rows(order("A-1", "carol@example.com", "1000"))
    event = CustomerEvent.objects.get(customer=customer)
    assert event.actor is None
    assert event.data["from"] is None
    assert event.data["to"] == "VIP"
    assert event.data["reason"] == "Rule: lifetime value at least 1000.00 EUR"
    customer.refresh_from_db()
    assert customer.tier_reason == event.data["reason"]
    assert not customer.tier_locked


def test_rules_never_override_a_persons_choice(customer, vip, agent):
    standard = Tier.objects.create(name="Standard", slug="standard", rank=100)
    make_rules(vip)
    tiers.assign_tier(customer=customer, tier=standard, actor=agent, reason="Asked to stay put")
    import_rows(order("A-1", "carol@example.com", "5000"))
    assert tier_of(customer) == "standard"
    assert customer.tier_locked
    assert customer.tier_reason == "Asked to stay put"


def test_meeting_no_rule_keeps_the_tier_unless_a_floor_rule_exists(customer, vip):
    standard = Tier.objects.create(name="Standard", slug="standard", rank=100)
    make_rules(vip)
    import_rows(order("A-1", "carol@example.com", "1500"))
    assert tier_of(customer) == "vip"
    import_rows(order("A-1", "carol@example.com", "20"))  # a refund lowered the order
    assert tier_of(customer) == "vip"
    TierRule.objects.create(tier=standard, metric=Metric.ORDER_COUNT, threshold=0)
    assert tiers.apply_rules() == 1
    assert tier_of(customer) == "standard"


def test_the_nightly_run_covers_customers_no_import_touched(customer, other_customer, vip):
    Customer.objects.filter(pk=customer.pk).update(order_count=4, lifetime_value=Decimal("2000"))
    TierRule.objects.create(tier=vip, metric=Metric.LIFETIME_VALUE, threshold=Decimal("1000"))
    from everydesk.customers import tasks

    tasks.apply_tier_rules_nightly.call_local()
    assert tier_of(customer) == "vip"
    assert tier_of(other_customer) is None
    assert tiers.apply_rules() == 0  # running again changes nothing


def test_inactive_rules_do_nothing(customer, vip):
    TierRule.objects.create(tier=vip, metric=Metric.ORDER_COUNT, threshold=1, active=False)
    import_rows(order("A-1", "carol@example.com", "10"))
    assert tier_of(customer) is None
