"""How fast praise is matched to staff after scoring, and what a batch costs.

    python bench/praise.py                          # 2,000 staff, 5,000 voices; ~20 s
    python bench/praise.py --staff 10000 --voices 20000

Works in a fresh SQLite data directory unless DATABASE_URL is set (then it adds rows
to that database). Staff get made-up first and last names; each voice names one of them
by first name, full name, or nobody; `--share` of them are praise (all by default), the
rest complaints, which the step skips.
`praise.recording.record_praise` runs on scored batches of 256, as the scoring job
calls it, then the announce job tells everyone. Prints voices per second, milliseconds
and queries per batch, praise items told per second, and how many praise items and
notifications were written.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = [
    "Aiko",
    "Bram",
    "Chidi",
    "Dalia",
    "Emeka",
    "Farah",
    "Goran",
    "Hana",
    "Idris",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
]
SYLLABLES = ["ba", "ko", "ri", "mu", "se", "ta", "lin", "dor", "vey", "zan"]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Novak",
    "Haddad",
    "Silva",
    "Kowalski",
    "Mensah",
    "Ivanova",
]


def distinctive(base: str, n: int) -> str:
    """A first name of letters only that no other bench employee has: Aiko + "kori"."""
    suffix = ""
    while True:
        n, digit = divmod(n, len(SYLLABLES))
        suffix += SYLLABLES[digit]
        if not n:
            return base + suffix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--voices", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument(
        "--share", type=float, default=1.0, help="praise among the voices (demo traffic: 0.13)"
    )
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["EVERYDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="everydesk-bench-praise-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from everydesk.accounts.models import Role, User
    from everydesk.listening.models import Voice
    from everydesk.notifications.models import Notification
    from everydesk.praise import announcing
    from everydesk.praise.models import Praise
    from everydesk.praise.recording import record_praise

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(1)
    run = time.time_ns()
    offset = User.objects.count()  # names stay distinct from an earlier run's staff
    staff = User.objects.bulk_create(
        [
            User(
                username=f"s{run}-{n}@bench.test",
                email=f"s{run}-{n}@bench.test",
                first_name=distinctive(rng.choice(FIRST), offset + n),
                last_name=rng.choice(LAST),
                role=Role.AGENT,
            )
            for n in range(options.staff)
        ],
        batch_size=500,
    )
    texts = []
    for _ in range(options.voices):
        person = rng.choice(staff)
        texts.append(
            rng.choice(
                [
                    f"{person.first_name} was wonderful, thank you!",
                    f"Many thanks to {person.first_name} {person.last_name} for the quick fix.",
                    "Great service from the whole team, thank you.",
                ]
            )
        )
    now = timezone.now()
    voices = Voice.objects.bulk_create(
        [
            Voice(
                source="message",
                text=text,
                kind="praise" if rng.random() < options.share else "complaint",
                sentiment=0.8,
                sentiment_label="positive",
                scored_at=now,
            )
            for text in texts
        ],
        batch_size=1000,
    )
    notes_before = Notification.objects.count()
    praise_before = Praise.objects.count()
    batches, queries = 0, 0
    started = time.perf_counter()
    for i in range(0, len(voices), options.batch):
        with CaptureQueriesContext(connection) as captured:
            record_praise(voices[i : i + options.batch])
        batches += 1
        queries += len(captured)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    told = announcing.sweep()  # what the announce job does after each batch's commit
    telling = time.perf_counter() - started
    print(f"database            {connection.vendor}")
    print(f"staff               {options.staff:,}")
    print(f"voices              {options.voices:,} in {batches} batches of {options.batch}")
    print(f"voices per second   {options.voices / seconds:,.0f}")
    print(f"ms per batch        {1000 * seconds / batches:,.1f}")
    print(f"queries per batch   {queries / batches:,.1f}")
    print(f"praise items        {Praise.objects.count() - praise_before:,}")
    print(f"told per second     {told / telling:,.0f} (praise items, by the announce job)")
    print(f"notifications       {Notification.objects.count() - notes_before:,}")


if __name__ == "__main__":
    main()
