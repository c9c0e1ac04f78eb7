"""Take playbook actions from many threads against one budget; report speed and overshoot.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/everydesk_bench python bench/playbook_takes.py

Each thread has its own connection and takes refunds for the same agent as fast as
it can, so every take contends for one budget row (the worst case: in real use
people rarely share a budget). Reports takes per second, p50/p99 latency, how many
were done and how many went for approval, and checks that the budget was never
passed: `used` must equal the done amount and stay within the limit.
Writes rows into the configured database (one conversation, one agent per run).
"""

import argparse
import os
import statistics
import threading
import time
import uuid
from decimal import Decimal


def prepare(limit: Decimal):  # type: ignore[no-untyped-def]
    from everydesk.accounts.models import Role, Team, User
    from everydesk.conversations.actions import open_conversation
    from everydesk.customers.models import Customer
    from everydesk.playbook.builtins import install_builtins
    from everydesk.playbook.models import ActionPolicy, ActionType, Period

    run = uuid.uuid4().hex[:8]
    agent = User.objects.create_user(
        username=f"bench-{run}@staff.test", email=f"bench-{run}@staff.test", role=Role.AGENT
    )
    customer = Customer.objects.create(email=f"bench-{run}@example.com", name="Bench")
    conversation = open_conversation(customer=customer, subject="Bench", body="Refund me")
    install_builtins()
    refund = ActionType.objects.get(slug="refund")
    # A policy for this agent alone (by a team of one), so other runs' policies do not govern.
    team = Team.objects.create(name=f"bench-{run}")
    team.members.add(agent)
    policy = ActionPolicy.objects.create(
        action_type=refund,
        limit_per_action=Decimal("100"),
        limit_per_period=limit,
        period=Period.DAY,
    )
    policy.teams.add(team)
    return agent, conversation, refund


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--takes", type=int, default=50, help="takes per thread")
    parser.add_argument("--amount", type=Decimal, default=Decimal("7"))
    parser.add_argument("--limit", type=Decimal, default=Decimal("500"))
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from everydesk.playbook.actions import take_action
    from everydesk.playbook.models import ActionStatus, Budget, TakenAction

    call_command("migrate", interactive=False, verbosity=0)
    agent, conversation, refund = prepare(args.limit)
    barrier = threading.Barrier(args.threads)
    latencies: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        mine = []
        barrier.wait()
        for _ in range(args.takes):
            started = time.perf_counter()
            take_action(
                conversation=conversation,
                actor=agent,
                action_type=refund,
                amount=args.amount,
                values={"reason": "bench"},
            )
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
        connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(args.threads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    taken = TakenAction.objects.filter(actor=agent)
    done = taken.filter(status=ActionStatus.DONE).count()
    waiting = taken.filter(status=ActionStatus.AWAITING_APPROVAL).count()
    used = Budget.objects.get(user=agent).used
    latencies.sort()
    print(f"database: {connection.vendor}, {args.threads} threads x {args.takes} takes")
    print(f"takes per second: {len(latencies) / elapsed:.0f}")
    print(
        f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms"
    )
    print(f"done {done}, sent for approval {waiting}; budget used {used} of {args.limit}")
    expected = min(args.threads * args.takes, int(args.limit // args.amount))
    ok = used <= args.limit and used == done * args.amount and done == expected
    print("budget held" if ok else "BUDGET PASSED OR MISCOUNTED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
