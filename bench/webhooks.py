"""How fast webhooks go out: signed deliveries per second to a receiver on loopback.

    python bench/webhooks.py                    # 500 events, 1 endpoint; ~5 s
    python bench/webhooks.py --events 2000 --endpoints 3 --fail-every 4

Works in a fresh SQLite data directory unless DATABASE_URL is set. A ThreadingHTTPServer
on 127.0.0.1 answers every POST (with a 500 for every Nth request when --fail-every is
given). Events are queued with `webhooks.actions.queue_event`, then one sweep
(`sending.send_due`) sends them; with failures, the retries are made due and swept again
until nothing is pending. Prints deliveries per second for the first sweep, the median
and 95th percentile attempt time from the delivery log, and the final statuses.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--endpoints", type=int, default=1)
    parser.add_argument("--fail-every", type=int, default=0)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["EVERYDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="everydesk-bench-webhooks-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    os.environ["EVERYDESK_WEBHOOKS_ALLOW_PRIVATE"] = "true"  # the receiver is on loopback
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from everydesk.webhooks import sending
    from everydesk.webhooks.actions import queue_event
    from everydesk.webhooks.models import Delivery, DeliveryAttempt, Endpoint
    from tests.webhooks.receiver import Receiver

    call_command("migrate", interactive=False, verbosity=0)
    with Receiver() as receiver:
        if options.fail_every:
            receiver.answer(*([200] * (options.fail_every - 1) + [500]) * options.events)
        run = time.time_ns()
        endpoints = [
            Endpoint.objects.create(name=f"bench {run} {n}", url=receiver.url)
            for n in range(options.endpoints)
        ]
        for n in range(options.events):
            queue_event(event="bench.event", payload={"n": n}, idempotency_key=f"{run}-{n}")
        mine = Delivery.objects.filter(endpoint__in=endpoints)
        started = time.perf_counter()
        first = sending.send_due()
        seconds = time.perf_counter() - started
        sweeps = 1
        while mine.filter(status="pending").exists():
            mine.filter(status="pending").update(next_attempt_at=timezone.now())
            sending.send_due()
            sweeps += 1
        took = sorted(
            DeliveryAttempt.objects.filter(delivery__in=mine).values_list("duration_ms", flat=True)
        )
        statuses = dict(mine.values_list("status").annotate(n=Count("id")).order_by())
    print(f"database                 {connection.vendor}")
    print(f"deliveries               {first:,} ({options.events:,} events x {options.endpoints})")
    print(f"first sweep per second   {first / seconds:,.0f}")
    print(f"attempt ms median / p95  {statistics.median(took)} / {took[int(len(took) * 0.95)]}")
    print(f"attempts                 {len(took):,} over {sweeps} sweeps")
    print(f"statuses                 {statuses}")
    print(f"received                 {len(receiver.received):,}")


if __name__ == "__main__":
    main()
