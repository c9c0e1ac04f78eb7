"""customers.order_rows.read: what a valid order is, and what each refusal says."""

import datetime as dt
from decimal import Decimal

import pytest

from everydesk.customers.order_rows import OrderRow, read

VALID = {
    "number": " A-1 ",
    "email": " Carol@Example.COM ",
    "placed_at": "2026-03-01T14:30:00+01:00",
    "amount": "129.90",
}


def problems(**changes) -> list[tuple[str, str]]:
    found = read(7, {**VALID, **changes})
    assert isinstance(found, list), found
    assert {p.row for p in found} == {7}
    return [(p.column, p.reason) for p in found]


def test_a_valid_row_is_read_into_clean_values(db):
    row = read(2, {**VALID, "items": "LAMP-1 x 2; BOX-XL; GIFT x1"})
    assert isinstance(row, OrderRow)
    assert (row.number, row.email, row.currency) == ("A-1", "carol@example.com", "EUR")
    assert row.amount == Decimal("129.90")
    assert row.placed_at == dt.datetime(2026, 3, 1, 13, 30, tzinfo=dt.UTC)
    assert row.items == [
        {"sku": "LAMP-1", "quantity": 2},
        {"sku": "BOX-XL", "quantity": 1},
        {"sku": "GIFT", "quantity": 1},
    ]


def test_api_items_come_as_a_list(db):
    row = read(0, {**VALID, "items": [{"sku": "LAMP-1", "quantity": 3, "name": "Desk lamp"}]})
    assert isinstance(row, OrderRow)
    assert row.items == [{"sku": "LAMP-1", "quantity": 3, "name": "Desk lamp"}]


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"number": ""}, "number", "missing"),
        ({"email": "carol"}, "email", "not an email address"),
        ({"placed_at": "01/03/2026"}, "placed_at", "YYYY-MM-DD"),
        ({"placed_at": "2026-03-01T14:30:00"}, "placed_at", "no time zone"),
        ({"placed_at": "2999-01-01"}, "placed_at", "in the future"),
        ({"amount": "12,50"}, "amount", "thousands separators"),
        ({"amount": "lots"}, "amount", "not an amount"),
        ({"amount": "-1"}, "amount", "zero or more"),
        ({"amount": "1.999"}, "amount", "at most 2 decimals"),
        ({"amount": "1e20"}, "amount", "too large"),
        ({"currency": "EURO"}, "currency", "not an ISO 4217"),
        ({"items": "LAMP x 0"}, "items", "at least 1"),
    ],
)
def test_each_bad_value_is_refused_with_its_column_and_reason(db, changes, column, words):
    [(found_column, reason)] = problems(**changes)
    assert found_column == column
    assert words in reason


def test_every_problem_of_a_row_is_reported_not_just_the_first(db):
    assert [column for column, _ in problems(email="", amount="", placed_at="")] == [
        "email",
        "placed_at",
        "amount",
    ]
