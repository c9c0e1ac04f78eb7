"""Time the periodic SLA check (sla/evaluation.py) over many open conversations.

    python bench/sla_evaluation.py --conversations 1000000            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x python bench/sla_evaluation.py

It builds its own database (SQLite: a fresh data directory; PostgreSQL: the database
named in DATABASE_URL with `_bench` added, on the same server, dropped and created again),
fills it with bulk SQL (INSERT ... SELECT over a generated series): customers, open
conversations spread over 20 agents and 4 teams, and one clock per conversation whose
deadlines lie between two hours ago and a week ahead, so that about 1.2% are past due
and a few per thousand inside the warning window, as after a quiet night. Then it runs
the check three times and prints seconds and open conversations per second:
- cold: a fresh process, nothing cached; every breach and warning of the night at once;
- again: at once, same instant (idempotence: nothing left to do);
- next minute: one minute later, the steady state of the every-minute job.
Target: under 60 s for 1,000,000 open conversations.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

AGENTS, TEAMS, CUSTOMERS = 20, 4, 10_000


def prepare_environment() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        bench_db = (parts.path.strip("/") or "everydesk") + "_bench"
        server = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(server, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))
        return "postgresql"
    os.environ["EVERYDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="ed-bench-sla-")
    os.environ.pop("DATABASE_URL", None)
    return "sqlite"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def create_people() -> tuple[list[int], list[int]]:
    from everydesk.accounts.models import Role, Team, User
    from everydesk.customers.models import Customer, Tier
    from everydesk.sla.models import BusinessCalendar, SlaPolicy

    manager = User.objects.create_user(username="boss", email="boss@bench.test", role=Role.MANAGER)
    User.objects.create_user(username="root", email="root@bench.test", role=Role.ADMIN)
    agents = User.objects.bulk_create(
        User(username=f"a{n}", email=f"a{n}@bench.test", role=Role.AGENT, manager=manager)
        for n in range(AGENTS)
    )
    teams = [Team.objects.create(name=f"Team {n}") for n in range(TEAMS)]
    for n, team in enumerate(teams):
        team.members.set(agents[n::TEAMS])
    vip = Tier.objects.create(name="VIP", slug="vip", rank=1, priority_boost=20)
    Customer.objects.bulk_create(
        (
            Customer(
                email=f"c{n}@bench.test", name=f"Customer {n}", tier=vip if n % 10 == 0 else None
            )
            for n in range(CUSTOMERS)
        ),
        batch_size=2000,
    )
    weekdays = {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    office = BusinessCalendar.objects.create(
        name="Office", time_zone="Europe/Paris", weekly_hours=weekdays
    )
    SlaPolicy.objects.create(
        name="Default",
        calendar=office,
        first_response_minutes=240,
        next_response_minutes=480,
        resolution_minutes=2880,
    )
    SlaPolicy.objects.create(
        name="VIP",
        tier=vip,
        first_response_minutes=60,
        next_response_minutes=120,
        resolution_minutes=1440,
        warn_before_minutes=15,
    )
    return [a.pk for a in agents], [t.pk for t in teams]


def _stamp(vendor: str, minutes_sql: str) -> str:
    """SQL for now plus `minutes_sql` minutes, as each database stores Django datetimes."""
    if vendor == "postgresql":
        return f"(now() + make_interval(mins => ({minutes_sql})::int))"
    return f"strftime('%Y-%m-%d %H:%M:%f', 'now', ({minutes_sql}) || ' minutes')"


def _series(vendor: str, total: int) -> str:
    if vendor == "postgresql":
        return f"generate_series(1::bigint, {total}) AS s(n)"
    counting = f"SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {total}"
    return f"(WITH RECURSIVE s(n) AS ({counting}) SELECT n FROM s) AS s"


def build(vendor: str, total: int, agents: list[int], teams: list[int]) -> None:
    from django.db import connection

    from everydesk.customers.models import Customer
    from everydesk.sla.models import SlaPolicy

    first_customer = Customer.objects.order_by("pk").values_list("pk", flat=True).first()
    policy = dict(SlaPolicy.objects.values_list("name", "pk"))
    agent_case = " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(agents))
    team_case = " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(teams))
    created = _stamp(vendor, "-(n % 20160)")  # up to two weeks old
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO conversations_conversation (id, subject, customer_id, kind, status,
                priority, channel, assignee_id, team_id, created_at, updated_at,
                last_customer_message_at, urgency, sentiment, priority_score, priority_reasons)
            SELECT n, 'Case ' || n, {first_customer} + (n % {CUSTOMERS}), 'complaint',
                CASE WHEN n % 10 = 0 THEN 'pending' ELSE 'open' END, 3, 'email',
                CASE WHEN n % 3 = 0 THEN NULL ELSE CASE n % {AGENTS} {agent_case} END END,
                CASE n % {TEAMS} {team_case} END,
                {created}, {created}, {created}, (n * 37) % 100, -0.5, 0, '[]'
            FROM {_series(vendor, total)}
            """
        )
        # Deadlines from two hours ago to a week ahead; one in ten waiting on the customer.
        due = _stamp(vendor, "((n * 7919) % 10080) - 120")
        json = "jsonb " if vendor == "postgresql" else ""  # a CASE of literals is text there
        cursor.execute(
            f"""
            INSERT INTO sla_conversationsla (conversation_id, policy_id, first_response_due_at,
                resolution_due_at, paused_at, paused_left, due_at, due_target, rescore_at,
                updated_at)
            SELECT n, CASE WHEN n % 10 = 0 THEN {policy["VIP"]} ELSE {policy["Default"]} END,
                {due}, {due},
                CASE WHEN n % 10 = 0 THEN {_stamp(vendor, "-5")} END,
                CASE WHEN n % 10 = 0 THEN {json}'{{"resolution": 3600}}' ELSE {json}'{{}}' END,
                CASE WHEN n % 10 = 0 THEN NULL ELSE {due} END, 'first_response',
                {_stamp(vendor, "((n * 104729) % 1440) - 1")}, {_stamp(vendor, "0")}
            FROM {_series(vendor, total)}
            """
        )
        if vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('conversations_conversation', 'id'), %s)",
                [total],
            )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")


def timed(label: str, now, total: int) -> None:  # type: ignore[no-untyped-def]
    from everydesk.sla import evaluation

    started = time.perf_counter()
    outcome = evaluation.run(now)
    seconds = time.perf_counter() - started
    print(
        f"{label:12s} {seconds:8.2f} s  {total / seconds:12,.0f} open conv/s  "
        f"breached {outcome.breached:,}  warned {outcome.warned:,}  "
        f"rescored {outcome.rescored:,}  bands moved {outcome.reprioritised:,}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50_000)
    options = parser.parse_args()
    vendor = prepare_environment()
    setup_django()
    import psutil
    from django.utils import timezone

    started = time.perf_counter()
    agents, teams = create_people()
    build(vendor, options.conversations, agents, teams)
    print(
        f"{vendor}: {options.conversations:,} open conversations with clocks built in "
        f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f} "
        f"on {psutil.cpu_count()} cores",
        flush=True,
    )
    now = timezone.now()
    timed("cold", now, options.conversations)
    timed("again", now, options.conversations)
    timed("next minute", now + timedelta(minutes=1), options.conversations)


if __name__ == "__main__":
    sys.exit(main())
