"""Order files as a shop exports them, written to a temporary folder."""

import csv
import io
from collections.abc import Sequence

import pytest

HEADER = ("number", "email", "name", "placed_at", "amount", "currency", "items")


def csv_text(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


GOOD_ROWS = [
    ("A-1001", "carol@example.com", "Carol Jones", "2026-03-01", "120.00", "EUR", "LAMP-1 x 1"),
    ("A-1002", "carol@example.com", "", "2026-04-02T09:30:00+02:00", "80.50", "", "BULB x 4"),
    ("A-1003", "New.Buyer@Example.com", "Nina New", "2026-05-03T10:00:00Z", "15", "eur", ""),
]


@pytest.fixture
def orders_file(tmp_path):
    def write(rows: Sequence[Sequence[str]] = GOOD_ROWS, name: str = "orders.csv") -> str:
        path = tmp_path / name
        path.write_text(csv_text(rows), encoding="utf-8")
        return str(path)

    return write
