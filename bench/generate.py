"""Load generated conversations into the configured database and report the speed.

    DATABASE_URL=... python bench/generate.py --conversations 1000000 --messages 3

Uses the same generator as `everydesk demo` (everydesk/demo/generate.py) and
appends to whatever is there. See docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument(
        "--messages",
        type=int,
        default=None,
        help="messages per conversation (default: 1 to 5 at random)",
    )
    parser.add_argument(
        "--customers",
        type=int,
        default=None,
        help="new customers (default: one per 5 conversations)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=20_000, help="conversations per transaction")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from everydesk.conversations.models import Conversation
    from everydesk.demo.generate import generate

    call_command("migrate", interactive=False, verbosity=0)
    before = Conversation.objects.count()
    summary = generate(
        conversations=options.conversations,
        customers=options.customers,
        messages=options.messages,
        seed=options.seed,
        chunk_size=options.chunk,
    )
    total = Conversation.objects.count()
    result = {
        "database": connection.vendor,
        "conversations_before": before,
        "conversations_after": total,
        "added_conversations": summary.conversations,
        "added_customers": summary.customers,
        "added_messages": summary.messages,
        "added_events": summary.events,
        "rows": summary.rows,
        "seconds": round(summary.seconds, 1),
        "rows_per_second": round(summary.rows_per_second),
        "conversations_per_second": round(summary.conversations / summary.seconds),
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    width = max(map(len, result))
    for key, value in result.items():
        shown = f"{value:,}" if isinstance(value, int) else value
        print(f"{key.replace('_', ' '):<{width}}  {shown}")
    if options.json:
        RESULTS.mkdir(exist_ok=True)
        name = f"generate-{connection.vendor}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        (RESULTS / name).write_text(json.dumps(result, indent=2))
        print(f"written to bench/results/{name}")


if __name__ == "__main__":
    main()
