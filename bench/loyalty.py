"""Time the loyalty figures (recovery/figures.py) on a large database; print p50/p99.

    EVERYDESK_DATA_DIR=/tmp/ed-bench-loyalty python bench/loyalty.py --conversations 1000000

Writes its own rows when the database has no solved complaints: customers (one in 50
them VIP, half with orders), conversations over the last year (a quarter complaints,
most solved), their insights facts, SLA clocks with decided targets, answered CSAT and
NPS surveys, and orders. Rows go in with bulk_create, as plain as the figures read
them; messages and voices are not written (the figures do not read them). Then it
computes the figures for 7, 30, 90 and 365 days, with no filter, a team and a tier.
The dashboard's own p99 (bench/dashboard.py) plus this is the page; target 300 ms.
"""

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

BATCH = 5000
TEAMS = ("Billing", "Shipping", "Returns")


def _bulk(model, rows) -> int:
    made = 0
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    if batch:
        model.objects.bulk_create(batch)
        made += len(batch)
    return made


def seed(conversations: int, rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from everydesk.accounts.models import Team
    from everydesk.conversations.models import Conversation, Kind, Status
    from everydesk.customers.models import Customer, Order, Tier
    from everydesk.insights.models import ConversationFact
    from everydesk.recovery.models import SolvedComplaint
    from everydesk.sla.models import ConversationSla
    from everydesk.surveys.models import Survey, SurveyKind

    now = timezone.now()
    teams = [Team.objects.get_or_create(name=n)[0] for n in TEAMS]
    vip = Tier.objects.get_or_create(slug="vip", defaults={"name": "VIP", "rank": 10})[0]
    customers = max(1, conversations // 5)
    with transaction.atomic():
        _bulk(
            Customer,
            (
                Customer(
                    name=f"Bench {i}",
                    email=f"bench{i}@loyalty.test",
                    tier=vip if i % 50 == 0 else None,
                    order_count=rng.choice((0, 1, 1, 2, 3)),
                )
                for i in range(customers)
            ),
        )
        ids = list(Customer.objects.values_list("pk", flat=True))
        tier_of = dict(Customer.objects.values_list("pk", "tier_id"))

        def when() -> object:
            return now - timedelta(seconds=rng.randrange(365 * 86400))

        kinds = [Kind.COMPLAINT, Kind.QUESTION, Kind.QUESTION, Kind.PRAISE]

        def conversation(i: int) -> Conversation:
            created = when()
            solved = rng.random() < 0.8
            return Conversation(
                subject=f"Bench {i}",
                customer_id=rng.choice(ids),
                kind=kinds[i % 4],
                status=Status.SOLVED if solved else Status.OPEN,
                team=teams[i % 3],
                created_at=created,
                updated_at=created,
                solved_at=created + timedelta(hours=rng.randrange(1, 72)) if solved else None,
            )

        _bulk(Conversation, (conversation(i) for i in range(conversations)))
    rows = Conversation.objects.values_list(
        "pk", "customer_id", "team_id", "kind", "created_at", "solved_at"
    ).iterator(chunk_size=BATCH)
    facts, clocks, complaints, surveys = [], [], [], []
    for pk, customer, team, kind, created, solved in rows:
        tier = tier_of[customer]
        facts.append(
            ConversationFact(
                conversation_id=pk,
                team_id=team,
                tier_id=tier,
                channel="email",
                kind=kind,
                opened_on=timezone.localdate(created),
            )
        )
        met = rng.random() < 0.85
        clocks.append(
            ConversationSla(
                conversation_id=pk,
                first_response_met=met,
                resolution_met=(rng.random() < 0.8) if solved else None,
                breached_at=None if met else created + timedelta(hours=4),
            )
        )
        if solved and kind == Kind.COMPLAINT:
            complaints.append(
                SolvedComplaint(
                    conversation_id=pk,
                    customer_id=customer,
                    team_id=team,
                    tier_id=tier,
                    solved_at=solved,
                )
            )
        if solved and rng.random() < 0.3:
            surveys.append(
                Survey(
                    kind=SurveyKind.CSAT,
                    customer_id=customer,
                    conversation_id=pk,
                    team_id=team,
                    tier_id=tier,
                    sent_at=solved,
                    answered_at=solved + timedelta(hours=2),
                    score=rng.randint(1, 5),
                )
            )
        if len(facts) >= BATCH:
            _flush(facts, clocks, complaints, surveys)
    _flush(facts, clocks, complaints, surveys)
    orders = (
        Order(
            number=f"bench-{i}",
            customer_id=rng.choice(ids),
            placed_at=when(),
            amount=Decimal(rng.randrange(10, 500)),
        )
        for i in range(customers)
    )
    _bulk(Order, orders)
    nps = (
        Survey(
            kind=SurveyKind.NPS,
            customer_id=rng.choice(ids),
            sent_at=(moment := when()),
            answered_at=moment,
            score=rng.randint(0, 10),
        )
        for _ in range(customers // 4)
    )
    _bulk(Survey, nps)


def _flush(*lists: list) -> None:
    for rows in lists:
        if rows:
            type(rows[0]).objects.bulk_create(rows)
            rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="computations per combination")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from everydesk.accounts.models import Team
    from everydesk.conversations.models import Conversation
    from everydesk.customers.models import Tier
    from everydesk.insights.figures import Filters, Period, buckets_of
    from everydesk.recovery import figures
    from everydesk.recovery.models import SolvedComplaint

    call_command("migrate", interactive=False, verbosity=0)
    if not SolvedComplaint.objects.exists():
        started = time.monotonic()
        seed(options.conversations, random.Random(1))
        print(f"seeded in {time.monotonic() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}, conversations: {Conversation.objects.count():,}, "
        f"solved complaints: {SolvedComplaint.objects.count():,}"
    )
    team, tier = Team.objects.order_by("pk").first(), Tier.objects.get(slug="vip")
    today = timezone.localdate()
    choices = {
        "all": Filters(),
        "team": Filters(team_id=team.pk, team_name=team.name),
        "tier": Filters(tier_id=tier.pk, tier_name=tier.name),
    }
    for days in (7, 30, 90, 365):
        period = Period(today - timedelta(days=days - 1), today)
        for name, chosen in choices.items():
            times = []
            for _ in range(options.runs):
                started = time.perf_counter()
                figures.compute(period, chosen, buckets_of(period))
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
            print(
                f"{days:>3} days, {name:<4}: p50 {statistics.median(times):7.1f} ms, "
                f"p99 {p99:7.1f} ms"
            )


if __name__ == "__main__":
    main()
