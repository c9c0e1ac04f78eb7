"""The one way orders come in, from the API and from CSV files alike.

Idempotent on the order number: sending an order again changes nothing, sending it
with different values updates it; it is never doubled. Nothing is half-imported:
every row is checked before anything is written, and by default one bad row means
nothing is written and every bad row is reported. With `skip_bad` the good rows go
in and the bad ones are reported. The writes themselves run in one transaction, so
a crash or an interrupt part way leaves the database as it was.

Aggregates (lifetime value, order count, last order) are recomputed once per
touched customer at the end, from the orders themselves, and then the tier rules
run for those customers (customers/tiers.py).
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DecimalField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from everydesk.customers import actions, tiers
from everydesk.customers.models import Customer, Order
from everydesk.customers.order_rows import (
    COLUMNS,
    REQUIRED,
    OrderRow,
    Problem,
    column_name,
    read,
)
from everydesk.lib import direct_sql
from everydesk.lib.batches import batched

# Rows per round of reads and writes: large enough that a 100k-row file costs a few
# hundred statements, small enough to stay under SQLite's 32k-parameter limit.
CHUNK = 1000
# Told (phase, rows) as rows are checked ("checked") and then written ("written").
Progress = Callable[[str, int], None]
COMPARED = ("customer_id", "placed_at", "amount", "currency", "items")
MAX_REPORTED = 1000  # problems the command prints; a file with more needs fixing at its source


NOT_UTF8 = 'The file is not UTF-8 text: save it from the spreadsheet as "CSV UTF-8".'


class BadFile(ValueError):
    """The file cannot be read as orders at all (not a CSV, a required column missing)."""


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    imported: bool = True  # False when bad rows stopped the whole import
    tier_changes: int = 0

    @property
    def bad(self) -> int:
        return len({problem.row for problem in self.problems})

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad": self.bad,
            "tier_changes": self.tier_changes,
        }

    def lines(self) -> list[str]:
        lines = [f"row {p.row}, {p.column}: {p.reason}" for p in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            lines.append(f"... and {len(self.problems) - MAX_REPORTED} more problems")
        if not self.imported:
            lines.append(
                f"Nothing imported: {self.bad} of {self.rows} rows are bad. Fix them, "
                "or run again with --skip-bad to import the good rows only."
            )
        lines.append(
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.bad} bad; {self.tier_changes} customers changed tier."
        )
        return lines


def import_orders(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Check every (row number, values) pair, then write the good ones, or none."""
    summary = Summary()
    good = _checked(rows, summary, progress)
    if summary.problems and not skip_bad:
        summary.imported = False
        return summary
    with transaction.atomic():
        touched: set[int] = set()
        for chunk in batched(good, CHUNK):
            touched |= _write(chunk, summary)
            if progress:
                progress("written", len(chunk))
        refresh_figures(touched)
        summary.tier_changes = tiers.apply_rules(customer_ids=touched)
    return summary


def _checked(
    rows: Iterable[tuple[int, Mapping[str, Any]]], summary: Summary, progress: Progress | None
) -> list[OrderRow]:
    good: dict[str, OrderRow] = {}
    for number, values in rows:
        summary.rows += 1
        if progress and summary.rows % CHUNK == 0:
            progress("checked", CHUNK)
        found = read(number, values)
        if isinstance(found, list):
            summary.problems += found
        elif found.number in good:
            # Which of two versions in one file is meant is for a person to say.
            first = good[found.number].row
            reason = f"Order {found.number} appears already in row {first}."
            summary.problems.append(Problem(number, "number", reason))
        else:
            good[found.number] = found
    if progress and summary.rows % CHUNK:
        progress("checked", summary.rows % CHUNK)
    bad_rows = {problem.row for problem in summary.problems}
    return [row for row in good.values() if row.row not in bad_rows]


def _write(chunk: Sequence[OrderRow], summary: Summary) -> set[int]:
    """Create, update or leave each order of the chunk; the customers whose figures moved."""
    customers = actions.find_or_create_customers({row.email: row.name for row in chunk})
    # Plain tuples, not instances: most rows of a re-import are unchanged, and building
    # a model instance per row only to compare it cost more than the comparison.
    existing = {
        found[0]: found[1:]
        for found in Order.objects.filter(number__in=[row.number for row in chunk]).values_list(
            "number", *COMPARED, "pk", "created_at"
        )
    }
    touched: set[int] = set()
    new, changed = [], []
    now = timezone.now()
    for row in chunk:
        values = (customers[row.email], row.placed_at, row.amount, row.currency, row.items)
        before = existing.get(row.number)
        if before is None:
            new.append(_as_order(row, values, created_at=now, updated_at=now))
        elif before[: len(COMPARED)] != values:
            touched |= {before[0], values[0]}  # the order may have moved customer
            order = _as_order(row, values, created_at=before[-1], updated_at=now)
            order.pk = before[-2]
            changed.append(order)
    # One precompiled statement for the new rows and one per changed row: the ORM's
    # bulk_create and bulk_update (a CASE per column) spent most of an import's CPU
    # compiling SQL. A number another writer inserted meanwhile is skipped here and
    # counted as unchanged; the next import of the file brings it up to date.
    created = direct_sql.insert_new(new, unique="number")
    for order in changed:
        direct_sql.update(order, [*COMPARED, "updated_at"])
    touched |= {order.customer_id for order in created}
    summary.created += len(created)
    summary.updated += len(changed)
    summary.unchanged += len(chunk) - len(created) - len(changed)
    return touched


def _as_order(row: OrderRow, values: tuple[Any, ...], **stamps: Any) -> Order:
    return Order(number=row.number, **dict(zip(COMPARED, values, strict=True)), **stamps)


def refresh_figures(customer_ids: Iterable[int]) -> None:
    """Recompute lifetime value, order count and last order from the orders: one UPDATE
    per chunk of customers, the sums done by the database (order_customer_recent)."""
    mine = Order.objects.filter(customer=OuterRef("pk")).order_by().values("customer")
    value = mine.filter(currency=settings.CURRENCY).annotate(v=Sum("amount")).values("v")
    count = mine.annotate(n=Count("id")).values("n")
    last = mine.annotate(m=Max("placed_at")).values("m")
    for chunk in batched(sorted(customer_ids), CHUNK):
        Customer.objects.filter(pk__in=chunk).update(
            lifetime_value=Coalesce(Subquery(value), Value(Decimal("0")), output_field=_MONEY),
            order_count=Coalesce(Subquery(count), Value(0)),
            last_order_at=Subquery(last),
        )


_MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)


# --- CSV files ----------------------------------------------------------------------


def csv_rows(text: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, values by column) for each data row; BadFile if the header is wrong."""
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        raise BadFile(NOT_UTF8) from None
    except csv.Error as error:
        raise BadFile(f"This is not a CSV file ({error}).") from None
    if not header:
        raise BadFile("The file is empty: the first line should name the columns.")
    names = [column_name(h) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise BadFile(
            f"Missing column: {', '.join(missing)}. The first line names the columns: "
            f"{', '.join(COLUMNS)} ({', '.join(REQUIRED)} are required)."
        )
    return _data_rows(reader, names)


def _data_rows(reader: Any, names: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        for values in reader:
            if any(v.strip() for v in values):  # blank lines at the end of a sheet
                yield reader.line_num, dict(zip(names, values, strict=False))
    except UnicodeDecodeError:
        raise BadFile(f"After line {reader.line_num}: {NOT_UTF8}") from None
    except csv.Error as error:
        raise BadFile(f"Line {reader.line_num} cannot be read ({error}).") from None


def open_csv(raw: IO[bytes]) -> IO[str]:
    # utf-8-sig: spreadsheets often start the file with a byte-order mark.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
