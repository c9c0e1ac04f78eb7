"""customers.orders.import_orders: the one import path behind the API and the command."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from everydesk.customers.models import Customer, Order
from everydesk.customers.orders import csv_rows, import_orders
from tests.customers.conftest import GOOD_ROWS, csv_text


def run(rows, **options):
    return import_orders(list(csv_rows(io.StringIO(csv_text(rows)))), **options)


def stored() -> list[tuple]:
    return list(
        Order.objects.order_by("number").values_list(
            "number", "customer__email", "placed_at", "amount", "currency", "items"
        )
    )


def figures(email: str) -> tuple:
    customer = Customer.objects.get(email=email)
    return customer.lifetime_value, customer.order_count, customer.last_order_at


def test_import_stores_orders_and_keeps_the_customer_figures(customer):
    summary = run(GOOD_ROWS)
    assert (summary.created, summary.updated, summary.unchanged, summary.bad) == (3, 0, 0, 0)
    assert figures("carol@example.com") == (
        Decimal("200.50"),
        2,
        dt.datetime(2026, 4, 2, 7, 30, tzinfo=dt.UTC),
    )
    lamp = Order.objects.get(number="A-1001")
    assert lamp.customer == customer
    assert lamp.items == [{"sku": "LAMP-1", "quantity": 1}]
    assert lamp.placed_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)  # date only: midnight UTC


def test_importing_the_same_file_twice_gives_the_same_rows_and_figures(customer):
    run(GOOD_ROWS)
    first, carol, nina = stored(), figures("carol@example.com"), figures("new.buyer@example.com")
    summary = run(GOOD_ROWS)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert stored() == first
    assert figures("carol@example.com") == carol
    assert figures("new.buyer@example.com") == nina
    assert Customer.objects.count() == 2


def test_an_order_sent_again_with_changes_is_updated_not_doubled(customer):
    run(GOOD_ROWS)
    changed = [("A-1001", "carol@example.com", "", "2026-03-01", "100.00", "EUR", "LAMP-1 x 2")]
    summary = run(changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    assert Order.objects.filter(number="A-1001").count() == 1
    assert Order.objects.get(number="A-1001").items == [{"sku": "LAMP-1", "quantity": 2}]
    assert figures("carol@example.com")[:2] == (Decimal("180.50"), 2)


def test_an_order_moved_to_another_customer_updates_both_figures(customer, other_customer):
    run(GOOD_ROWS)
    run([("A-1001", "oscar@example.com", "", "2026-03-01", "120.00", "EUR", "LAMP-1 x 1")])
    assert figures("carol@example.com")[:2] == (Decimal("80.50"), 1)
    assert figures("oscar@example.com")[:2] == (Decimal("120.00"), 1)


def test_new_addresses_become_customers_with_their_name(db):
    run(GOOD_ROWS)
    nina = Customer.objects.get(email="new.buyer@example.com")
    assert nina.name == "Nina New"
    assert nina.order_count == 1


def test_one_bad_row_means_nothing_is_imported_and_every_bad_row_is_reported(customer):
    rows = [
        *GOOD_ROWS,
        ("A-2001", "not-an-address", "", "2026-03-01", "10", "EUR", ""),
        ("A-2002", "bob@example.com", "", "yesterday", "-4", "USD", "x x x"),
    ]
    summary = run(rows)
    assert not summary.imported
    assert summary.bad == 2
    reported = {(p.row, p.column) for p in summary.problems}
    assert reported == {
        (5, "email"),
        (6, "placed_at"),
        (6, "amount"),
        (6, "currency"),
    }
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 1
    assert figures("carol@example.com")[:2] == (Decimal("0"), 0)


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(customer):
    rows = [*GOOD_ROWS, ("A-2001", "carol@example.com", "", "2026-03-01", "1,000.00", "EUR", "")]
    summary = run(rows, skip_bad=True)
    assert summary.imported
    assert (summary.created, summary.bad) == (3, 1)
    [problem] = summary.problems
    assert (problem.row, problem.column) == (5, "amount")
    assert "thousands separators" in problem.reason
    assert not Order.objects.filter(number="A-2001").exists()


def test_an_order_number_twice_in_one_file_is_a_bad_row(customer):
    rows = [GOOD_ROWS[0], ("A-1001", "carol@example.com", "", "2026-03-02", "5", "EUR", "")]
    summary = run(rows, skip_bad=True)
    [problem] = summary.problems
    assert (problem.row, problem.column) == (3, "number")
    assert "row 2" in problem.reason
    assert Order.objects.get(number="A-1001").amount == Decimal("120.00")


def test_an_interrupted_import_leaves_nothing_behind(customer, monkeypatch):
    monkeypatch.setattr("everydesk.customers.orders.CHUNK", 1)
    written = []

    def interrupt_after_the_first_write(phase: str, rows: int) -> None:
        if phase == "written":
            written.append(rows)
            if len(written) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(GOOD_ROWS, progress=interrupt_after_the_first_write)
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 1
    assert figures("carol@example.com")[:2] == (Decimal("0"), 0)
    # And the file, imported again, goes in whole, once.
    assert run(GOOD_ROWS).created == 3


def test_progress_counts_every_row_checked_and_written(customer, monkeypatch):
    monkeypatch.setattr("everydesk.customers.orders.CHUNK", 2)
    told: dict[str, int] = {}
    run(GOOD_ROWS, progress=lambda phase, rows: told.update({phase: told.get(phase, 0) + rows}))
    assert told == {"checked": 3, "written": 3}


def test_other_currencies_are_refused_with_the_reason(customer):
    summary = run([("A-1", "carol@example.com", "", "2026-03-01", "9.99", "USD", "")])
    [problem] = summary.problems
    assert problem.column == "currency"
    assert "kept in EUR" in problem.reason


def test_the_installation_currency_decides_what_is_accepted(customer, settings):
    settings.CURRENCY = "USD"
    assert run([("A-1", "carol@example.com", "", "2026-03-01", "9.99", "", "")]).created == 1
    assert Order.objects.get(number="A-1").currency == "USD"
