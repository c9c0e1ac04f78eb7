"""Properties of import_orders over generated batches: importing again changes nothing,
and every customer's figures always equal what their orders add up to."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everydesk.customers.models import Customer, Order
from everydesk.customers.orders import import_orders

order = st.fixed_dictionaries(
    {
        "number": st.sampled_from([f"N-{n}" for n in range(12)]),
        "email": st.sampled_from(["a@example.com", "b@example.com", "c@example.com"]),
        "placed_at": st.dates(dt.date(2024, 1, 1), dt.date(2026, 1, 1)).map(str),
        "amount": st.decimals(0, 10_000, places=2).map(str),
        "items": st.sampled_from(["", "LAMP x 2", "BULB; LAMP x 1"]),
    }
)
# A batch as a shop would send it: each order number at most once.
batch = st.lists(order, max_size=15, unique_by=lambda o: o["number"])


def snapshot() -> list[tuple]:
    return list(Order.objects.order_by("number").values_list("number", "customer_id", "amount"))


def assert_figures_match_orders() -> None:
    for customer in Customer.objects.all():
        mine = list(Order.objects.filter(customer=customer))
        assert customer.order_count == len(mine)
        assert customer.lifetime_value == sum((o.amount for o in mine), Decimal("0"))
        assert customer.last_order_at == max((o.placed_at for o in mine), default=None)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=batch, second=batch)
def test_repeating_an_import_changes_nothing_and_figures_follow_the_orders(first, second):
    Order.objects.all().delete()
    Customer.objects.all().delete()
    for orders in (first, second):
        rows = list(enumerate(orders, start=1))
        import_orders(rows)
        assert_figures_match_orders()
        before = snapshot()
        again = import_orders(rows)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(orders))
        assert snapshot() == before
        assert_figures_match_orders()
