"""Surveys at size: the daily NPS run over many customers, and answers per second.

    EVERYDESK_DATA_DIR=/tmp/ed-bench-surveys .venv/bin/python bench/surveys.py --customers 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ed_bench_surveys \
        .venv/bin/python bench/surveys.py --customers 100000

Seeds (once, appending) customers with one recently updated conversation each, and a
CSAT survey sent within the quiet period for a tenth of them; then times:

- the NPS eligibility query alone, and a whole `sampling.run_nps` (survey rows, and
  each email built and handed to Django's in-memory backend: real composing, no SMTP);
- `surveys.actions.answer` through the answer page's POST (Django's test client), a
  third of them low enough to open a recovery conversation, with a comment each.

Targets: an NPS run under 10 s at 1,000,000 customers; answers well above what people
click (tens per second on two cores is plenty).
"""

import argparse
import os
import random
import statistics
import time


def seed(customers: int) -> int:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from everydesk.conversations.models import Conversation
    from everydesk.customers.models import Customer
    from everydesk.surveys.models import Survey, SurveyKind

    have = Customer.objects.filter(email__startswith="bench-s-").count()
    now = timezone.now()
    with transaction.atomic():
        for start in range(have, customers, 5000):
            made = Customer.objects.bulk_create(
                Customer(email=f"bench-s-{n}@bench.test", name=f"Bench {n}")
                for n in range(start, min(start + 5000, customers))
            )
            Conversation.objects.bulk_create(
                Conversation(customer=c, subject="Bench", updated_at=now - timedelta(days=3))
                for c in made
            )
            Survey.objects.bulk_create(
                Survey(kind=SurveyKind.CSAT, customer=c, sent_at=now - timedelta(days=10))
                for c in made[::10]
            )
    return max(0, customers - have)


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(len(ordered) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--answers", type=int, default=300)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from everydesk.surveys import links, sampling
    from everydesk.surveys.models import Survey, SurveyKind

    setup_test_environment()  # the in-memory mail backend: compose for real, send nowhere
    settings.HUEY.immediate = True  # mail jobs run in this process, timed with the run
    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    added = seed(options.customers)
    print(
        f"database: {connection.vendor}; seeded {added:,} customers in "
        f"{time.monotonic() - started:.1f} s"
    )

    started = time.perf_counter()
    eligible = sampling.eligible(timezone.now()).count()
    print(f"eligible for NPS: {eligible:,} in {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    asked = sampling.run_nps(rng=random.Random(1))
    seconds = time.perf_counter() - started
    print(
        f"NPS run: {len(asked):,} surveys written and {len(mail.outbox):,} emails built "
        f"in {seconds:.2f} s"
    )

    client = Client()
    rng = random.Random(2)
    surveys = list(
        Survey.objects.filter(kind=SurveyKind.NPS, answered_at__isnull=True)[: options.answers]
    )
    times = []
    for survey in surveys:
        path = f"/surveys/answer/{links.answer_token(survey)}/"
        score = rng.choice([2, 8, 10])
        start = time.perf_counter()
        response = client.post(path, {"score": score, "comment": "Delivery was slow again"})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    if times:
        total = sum(times) / 1000
        print(
            f"answers: {len(times)} in {total:.2f} s = {len(times) / total:.0f}/s; "
            f"p50 {statistics.median(times):.1f} ms, p99 {percentile(times, 0.99):.1f} ms "
            f"(a third open a recovery conversation)"
        )


if __name__ == "__main__":
    main()
