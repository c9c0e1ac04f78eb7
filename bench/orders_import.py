"""Import a generated order file into the configured database and report rows per second.

    DATABASE_URL=... python bench/orders_import.py --rows 100000

Writes a CSV of `--rows` orders spread over a quarter as many customers (new
addresses, so the customers are created too), then imports it three times through
the same path as `everydesk import-orders`: first all new, then the same file again
(all unchanged), then with every tenth amount changed (updates). A tier rule is in
place so the rules run for the touched customers, as they would in production.
Order numbers carry a fresh prefix, so runs append and never collide.
"""

import argparse
import os
import random
import tempfile
import time
import uuid
from pathlib import Path


def write_file(path: Path, rows: int, prefix: str, *, seed: int, bump: bool = False) -> None:
    rng = random.Random(seed)
    customers = max(1, rows // 4)
    with path.open("w", encoding="utf-8") as out:
        out.write("number,email,name,placed_at,amount,currency,items\n")
        for n in range(rows):
            who = rng.randrange(customers)
            amount = rng.randrange(500, 50_000) / 100
            if bump and n % 10 == 0:
                amount += 1
            day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            items = f"SKU-{rng.randrange(900)} x {rng.randint(1, 3)}; SKU-{rng.randrange(900)}"
            out.write(
                f"{prefix}-{n},{prefix}-c{who}@bench.example,Buyer {who},"
                f"{day}T{rng.randint(0, 23):02d}:15:00+01:00,{amount:.2f},EUR,{items}\n"
            )


def timed_import(path: Path) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds of this process, and the summary. On SQLite the
    database works inside this process, so CPU seconds are the cost on an idle core."""
    from everydesk.customers.orders import csv_rows, import_orders, open_csv

    started, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as raw:
        rows = list(csv_rows(open_csv(raw)))
    summary = import_orders(rows)
    return time.perf_counter() - started, time.process_time() - cpu, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from everydesk.customers.models import Metric, Tier, TierRule

    call_command("migrate", interactive=False, verbosity=0)
    vip = Tier.objects.get_or_create(slug="vip", defaults={"name": "VIP", "rank": 10})[0]
    TierRule.objects.get_or_create(
        tier=vip, metric=Metric.LIFETIME_VALUE, defaults={"threshold": Decimal("1000")}
    )
    prefix = uuid.uuid4().hex[:8]
    print(f"database: {connection.vendor}; rows: {options.rows:,}; load: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        for label, bump in (("new", False), ("again", False), ("10% changed", True)):
            write_file(path, options.rows, prefix, seed=options.seed, bump=bump)
            seconds, cpu, summary = timed_import(path)
            counts = summary.counts()  # type: ignore[attr-defined]
            print(
                f"{label:>12}: {options.rows / seconds:8,.0f} rows/s ({seconds:.1f} s), "
                f"{options.rows / cpu:8,.0f} rows per CPU second; "
                f"created {counts['created']:,}, updated {counts['updated']:,}, "
                f"unchanged {counts['unchanged']:,}, tier changes {counts['tier_changes']:,}"
            )


if __name__ == "__main__":
    main()
