"""Build one quarter's front-line rotation for 10,000 employees and report seconds.

    EVERYDESK_DATA_DIR=/tmp/ed-rotation-bench python bench/rotation.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ed_bench python bench/rotation.py

Staff spread over eight time zones (the Americas to Asia) serve a follow-the-sun
rule: 4 hours a quarter in 2-hour shifts, weekdays round the clock in UTC, each
person inside their own 09:00-17:00. About 5% have days off and 10% have their own
weekly windows. The script removes its previous rows (people @bench.test and the
"bench" rule), then times the plan (everydesk.frontline.rotation.plan) and the
insert (rotation.store: multi-row inserts, the build record, commit; the notifications
go to the queue after commit) separately, and
checks the result: every person placed, load per slot, no two shifts a day.
Target: build + insert under 10 seconds.
"""

import argparse
import os
import random
import time as clock
from collections import Counter
from datetime import date, time, timedelta

ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
]


def make_people(count: int, seed: int) -> None:
    from everydesk.accounts.models import Role, User
    from everydesk.frontline.models import AvailabilityWindow, TimeOff

    rng = random.Random(seed)
    people = User.objects.bulk_create(
        (
            User(
                username=f"b{n}@bench.test",
                email=f"b{n}@bench.test",
                password="!",  # unusable: the bench never signs in
                role=Role.EMPLOYEE,
                department=f"Dept {n % 40}",
                time_zone=ZONES[n % len(ZONES)],
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    away, own = [], []
    for person in people:
        if rng.random() < 0.05:
            first = date(2031, 1, 1) + timedelta(days=rng.randrange(80))
            away.append(
                TimeOff(
                    user=person,
                    first_day=first,
                    last_day=first + timedelta(days=rng.randrange(1, 15)),
                )
            )
        if rng.random() < 0.10:
            start = rng.choice([7, 8, 10, 12])
            days = rng.sample(range(5), 3)
            own += [
                AvailabilityWindow(user=person, weekday=d, starts=time(start), ends=time(start + 6))
                for d in days
            ]
    TimeOff.objects.bulk_create(away, batch_size=2000)
    AvailabilityWindow.objects.bulk_create(own, batch_size=2000)
    print(f"people: {count}, with days off: {len(away)}, with own windows: {len(own) // 3}")


def clean() -> None:
    from everydesk.accounts.models import User
    from everydesk.frontline.models import RotationRule

    RotationRule.objects.filter(name="bench").delete()
    User.objects.filter(email__endswith="@bench.test").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from everydesk.frontline import rotation
    from everydesk.frontline.models import RotationBuild, RotationRule
    from everydesk.frontline.rules import Quarter

    call_command("migrate", interactive=False, verbosity=0)
    print(f"database: {connection.vendor}")
    clean()
    make_people(options.people, options.seed)
    rule = RotationRule.objects.create(
        name="bench",
        time_zone="UTC",
        service_start=time(0),
        service_end=time(0),
        roles=["employee"],
        departments=[f"Dept {n}" for n in range(40)],
    )
    quarter = Quarter(2031, 1)
    with transaction.atomic():
        began, cpu = clock.perf_counter(), clock.process_time()
        plan = rotation.plan(rule=rule, quarter=quarter, seed=options.seed)
        planned, planned_cpu = clock.perf_counter(), clock.process_time()
        rotation.store(rule=rule, plan=plan, record=RotationBuild(rule=rule, quarter=str(quarter)))
    stored, stored_cpu = clock.perf_counter(), clock.process_time()  # after the commit
    print(f"load average: {' '.join(f'{n:.1f}' for n in os.getloadavg())} ({os.cpu_count()} cores)")
    print(
        f"plan:   {planned - began:6.2f} s, CPU {planned_cpu - cpu:5.2f} s "
        f"({len(plan.placements)} shifts, {len(plan.slots)} slots)"
    )
    print(f"insert: {stored - planned:6.2f} s, CPU {stored_cpu - planned_cpu:5.2f} s (and commit)")
    print(f"total:  {stored - began:6.2f} s  (target < 10 s)")
    report(rule, plan)
    from everydesk.frontline import coverage

    began = clock.perf_counter()
    figures = coverage.for_quarter(quarter)
    print(
        f"coverage figures: {clock.perf_counter() - began:.2f} s "
        f"({len(figures.people)} people, {len(figures.departments)} departments)"
    )


def report(rule, plan) -> None:
    from everydesk.frontline.models import Shift

    rows = list(Shift.objects.filter(rule=rule).values_list("user_id", "starts_at"))
    per_person = Counter(user for user, _ in rows)
    per_day = Counter((user, start.date()) for user, start in rows)
    load = plan.load[plan.load > 0]
    spread = sorted(Counter(per_person.values()).items())
    print(f"unplaced people: {len(plan.unplaced)}; people by shift count: {spread}")
    print(f"two shifts the same day: {sum(1 for n in per_day.values() if n > 1)}")
    print(f"people per used slot: min {load.min()}, max {load.max()}, mean {load.mean():.1f}")


if __name__ == "__main__":
    main()
