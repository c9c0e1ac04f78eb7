"""/orders: shops push orders with staff tokens; reads follow who may see the customer."""

from decimal import Decimal

from everydesk.customers.models import Customer, Order
from tests.api.conftest import error_of

ORDER = {
    "number": "W-1",
    "email": "carol@example.com",
    "placed_at": "2026-03-01T14:30:00+01:00",
    "amount": "129.90",
    "items": [{"sku": "LAMP-1", "quantity": 2}],
}


def test_staff_push_one_order_and_the_customer_figures_follow(api, agent, customer):
    response = api.post("/orders", agent, ORDER)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["bad"]) == (1, 0, 0, 0)
    [stored] = body["orders"]
    assert stored["number"] == "W-1"
    assert stored["customer_id"] == customer.pk
    assert Decimal(stored["amount"]) == Decimal("129.90")
    assert stored["items"] == [{"sku": "LAMP-1", "quantity": 2}]
    customer.refresh_from_db()
    assert (customer.lifetime_value, customer.order_count) == (Decimal("129.90"), 1)


def test_pushing_the_same_batch_twice_stores_it_once(api, admin, customer):
    batch = {"orders": [ORDER, {**ORDER, "number": "W-2", "email": "new@example.com"}]}
    first = api.post("/orders", admin, batch).json()
    again = api.post("/orders", admin, batch).json()
    assert first["created"] == 2
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert Order.objects.count() == 2
    assert Customer.objects.get(email="new@example.com").order_count == 1


def test_a_changed_order_is_updated(api, agent, customer):
    api.post("/orders", agent, ORDER)
    body = api.post("/orders", agent, {**ORDER, "amount": 99}).json()
    assert body["updated"] == 1
    assert Order.objects.get(number="W-1").amount == Decimal("99")


def test_one_bad_order_stores_none_and_names_each_problem(api, agent, customer):
    batch = {"orders": [ORDER, {**ORDER, "number": "W-2", "amount": "-5", "currency": "XYZ"}]}
    response = api.post("/orders", agent, batch)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "bad_orders"
    assert {d["field"] for d in error["details"]} == {"orders.1.amount", "orders.1.currency"}
    assert Order.objects.count() == 0


def test_skip_bad_stores_the_good_orders_and_lists_the_rest(api, agent, customer):
    batch = {"skip_bad": True, "orders": [ORDER, {**ORDER, "number": "W-2", "email": "nobody"}]}
    body = api.post("/orders", agent, batch).json()
    assert (body["created"], body["bad"]) == (1, 1)
    assert body["problems"] == [
        {"index": 1, "field": "email", "message": "'nobody' is not an email address."}
    ]
    assert list(Order.objects.values_list("number", flat=True)) == ["W-1"]
    assert [o["number"] for o in body["orders"]] == ["W-1"]


def test_a_single_bad_order_names_the_field(api, agent, customer):
    response = api.post("/orders", agent, {**ORDER, "placed_at": "2026-03-01T14:30:00"})
    assert response.status_code == 422
    [detail] = error_of(response)["details"]
    assert detail["field"] == "placed_at"
    assert "no time zone" in detail["message"]


def test_a_malformed_body_is_refused_in_plain_words(api, agent):
    response = api.post("/orders", agent, {"orders": []})
    assert response.status_code == 422
    assert error_of(response)["details"]


def test_customers_and_employees_cannot_push_orders(api, customer, employee):
    for who in (customer, employee):
        response = api.post("/orders", who, ORDER)
        assert response.status_code == 403
        assert error_of(response)["message"] == "Only agents and admins can push orders."
    assert Order.objects.count() == 0


def test_staff_list_a_customers_orders_newest_first(api, agent, customer, other_customer):
    api.post(
        "/orders",
        agent,
        {
            "orders": [
                ORDER,
                {**ORDER, "number": "W-2", "placed_at": "2026-04-01"},
                {**ORDER, "number": "W-3", "email": "oscar@example.com"},
            ]
        },
    )
    body = api.get("/orders", agent, customer=customer.pk).json()
    assert [o["number"] for o in body["items"]] == ["W-2", "W-1"]
    every = api.get("/orders", agent).json()
    assert len(every["items"]) == 3


def test_a_customer_reads_only_their_own_orders(api, agent, customer, other_customer):
    api.post(
        "/orders",
        agent,
        {"orders": [ORDER, {**ORDER, "number": "W-3", "email": "oscar@example.com"}]},
    )
    assert [o["number"] for o in api.get("/orders", customer).json()["items"]] == ["W-1"]
    response = api.get("/orders", customer, customer=other_customer.pk)
    assert response.status_code == 404


def test_order_pages_walk_every_order_once(api, agent, customer):
    batch = [{**ORDER, "number": f"W-{n}", "placed_at": f"2026-03-{n + 1:02d}"} for n in range(12)]
    api.post("/orders", agent, {"orders": batch})
    seen, cursor = [], None
    while True:
        params = {"limit": 5, **({"after": cursor} if cursor else {})}
        body = api.get("/orders", agent, **params).json()
        seen += [o["number"] for o in body["items"]]
        if not (cursor := body["next"]):
            break
    assert seen == [f"W-{n}" for n in reversed(range(12))]


def test_listing_orders_takes_a_fixed_number_of_queries(
    api, agent, customer, django_assert_max_num_queries
):
    batch = [{**ORDER, "number": f"W-{n}"} for n in range(30)]
    api.post("/orders", agent, {"orders": batch})
    api.get("/orders", agent)  # the token's first use is recorded once
    with django_assert_max_num_queries(3):
        assert len(api.get("/orders", agent).json()["items"]) == 30
