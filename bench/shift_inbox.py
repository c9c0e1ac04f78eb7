"""The shift inbox against a large backlog: the pool page, take-next and the reply hook.

    EVERYDESK_DATA_DIR=/tmp/ed-shift-bench python bench/shift_inbox.py --open 20000 --closed 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ed_shift_bench python bench/shift_inbox.py

Writes the backlog straight into the tables (bulk_create: what is measured is reading
and claiming, not loading), then reports p50/p99 of a pool page (what /desk/shift/ and
GET /api/v1/shift read; the first and the twentieth), of take-next, and of the replied
hook for someone on shift (one indexed update). Targets: a pool page under 50 ms and
take-next under 50 ms at 20,000 open unassigned conversations.
"""

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta


def timed(work: Callable[[], object], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def seed(open_count: int, closed_count: int) -> None:
    from django.utils import timezone

    from everydesk.conversations.models import Conversation, Kind, Status
    from everydesk.customers.models import Customer

    if Conversation.objects.exists():
        return
    rng = random.Random(1)
    customers = Customer.objects.bulk_create(
        Customer(email=f"bench{n}@example.com", name=f"Bench {n}") for n in range(2000)
    )
    now = timezone.now()
    kinds = [Kind.QUESTION, Kind.PRAISE, Kind.IDEA, Kind.OTHER, Kind.COMPLAINT]

    def row(n: int, status: str) -> Conversation:
        at = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        return Conversation(
            subject=f"Bench {n}",
            customer=rng.choice(customers),
            kind=rng.choice(kinds),
            status=status,
            priority=rng.choice([2, 3, 3, 3, 4]),
            sentiment=rng.uniform(-1, 1),
            urgency=rng.choice([0, 0, 0, 5, 10, 40]),
            created_at=at,
            updated_at=at,
        )

    for start in range(0, open_count + closed_count, 5000):
        batch = [
            row(n, Status.OPEN if n < open_count else Status.CLOSED)
            for n in range(start, min(start + 5000, open_count + closed_count))
        ]
        Conversation.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--closed", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from everydesk.accounts.models import Role, User
    from everydesk.conversations.models import Message, MessageKind
    from everydesk.demo import bulk
    from everydesk.frontline import routing, shift_inbox
    from everydesk.frontline.models import Shift

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    seed(args.open, args.closed)
    # What autovacuum (PostgreSQL) or the demo loader (SQLite) does after a bulk load.
    bulk.refresh_statistics(["conversations_conversation", "customers_customer"])
    print(f"{connection.vendor}: backlog ready in {time.perf_counter() - started:.1f} s")
    user, _ = User.objects.get_or_create(
        email="shift-bench@staff.test",
        defaults={"username": "shift-bench@staff.test", "role": Role.EMPLOYEE},
    )
    now = timezone.now()
    Shift.objects.create(
        user=user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
    )
    print(f"suitable now: {shift_inbox.pool().count()} of {args.open} open")

    p50, p99 = timed(lambda: shift_inbox.page(), args.rounds)
    print(f"pool page 1:      p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
    cursor = None
    for _ in range(19):
        cursor = shift_inbox.page(cursor).next_cursor
    p50, p99 = timed(lambda: shift_inbox.page(cursor), args.rounds)
    print(f"pool page 20:     p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")

    taken = []

    def take() -> None:
        taken.append(routing.take_next(user=user))

    with timezone.override("UTC"):
        from django.test import override_settings

        with override_settings(SHIFT_MAX_OPEN_TAKES=10**6):
            p50, p99 = timed(take, args.rounds)
    print(f"take next:        p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")

    conversation = taken[-1]
    conversation.assignee = user
    message = Message(
        conversation=conversation, kind=MessageKind.REPLY, author_user=user, body_text="x"
    )
    message.created_at = now
    p50, p99 = timed(lambda: routing.on_replied(conversation, message), args.rounds)
    print(f"replied hook:     p50 {p50:6.3f} ms  p99 {p99:6.3f} ms")


if __name__ == "__main__":
    main()
