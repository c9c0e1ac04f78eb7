"""Render the insights dashboard against a large database and report p50/p99 per filter.

    EVERYDESK_DATA_DIR=/tmp/ed-bench python bench/generate.py --conversations 1000000 --messages 2
    EVERYDESK_DATA_DIR=/tmp/ed-bench python bench/dashboard.py

Scored voices come from the pipeline in a real installation; when the database has
none (bench/generate.py writes none), this script writes one per customer message,
scored from its conversation's kind, and a few topics with hourly volumes, so that
every part of the page has rows to read. It then times `everydesk insights
--rebuild` (rollups.rebuild) and renders `/desk/insights/` through Django's test
client as a signed-in manager. Target: p99 < 300 ms at 1,000,000 conversations.
"""

import argparse
import os
import random
import statistics
import time
from datetime import timedelta


def seed_voices(connection) -> int:
    from everydesk.listening.models import Voice

    if Voice.objects.exists():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO listening_voice (source, message_id, conversation_id, customer_id,
                channel, text, created_at, scored_at, model_version, sentiment,
                sentiment_label, kind, kind_confidence, urgency, urgency_signals, language,
                score_error)
            SELECT 'message', m.id, m.conversation_id, m.author_customer_id, m.channel,
                substr(m.body_text, 1, 200), m.created_at, m.created_at, 'bench',
                CASE c.kind WHEN 'complaint' THEN -0.6 WHEN 'praise' THEN 0.8 ELSE 0.1 END,
                CASE c.kind WHEN 'complaint' THEN 'negative' WHEN 'praise' THEN 'positive'
                    ELSE 'neutral' END,
                c.kind, 0.9, 0, '[]', 'en', ''
            FROM conversations_message m
            JOIN conversations_conversation c ON c.id = m.conversation_id
            WHERE m.kind = 'customer'
            """
        )
        return cursor.rowcount


def seed_topics() -> int:
    from django.utils import timezone

    from everydesk.listening.models import Alert, Topic, TopicVolume

    if Topic.objects.exists():
        return 0
    rng = random.Random(1)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    topics = [Topic.objects.create(name=f"topic {n}") for n in range(30)]
    volumes = [
        TopicVolume(topic=t, hour=hour - timedelta(hours=h), count=rng.randint(0, 6))
        for t in topics
        for h in range(24 * 200)
    ]
    TopicVolume.objects.bulk_create(volumes, batch_size=5000)
    Alert.objects.create(
        topic=topics[0],
        window_start=hour - timedelta(hours=6),
        window_end=hour,
        observed=60,
        expected=8,
        score=0.0001,
    )
    return len(volumes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="renders per combination")
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="forget drawn charts before every request (each render draws its charts)",
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from everydesk.accounts.models import Role, Team, User
    from everydesk.conversations.models import Conversation
    from everydesk.customers.models import Tier
    from everydesk.insights import presentation, rollups

    call_command("migrate", interactive=False, verbosity=0)
    print(f"database: {connection.vendor}, conversations: {Conversation.objects.count():,}")
    started = time.monotonic()
    seeded = seed_voices(connection)
    topics = seed_topics()
    print(
        f"seeded {seeded:,} voices, {topics:,} topic volumes in {time.monotonic() - started:.1f} s"
    )
    if not options.skip_rebuild:
        started = time.monotonic()
        result = rollups.rebuild()
        print(
            f"rebuild: {result.conversations:,} conversations, {result.voices:,} voices, "
            f"{result.days:,} days in {time.monotonic() - started:.1f} s"
        )
    started = time.monotonic()
    rollups.refresh()
    print(f"refresh with nothing new: {(time.monotonic() - started) * 1000:.0f} ms")

    manager, _ = User.objects.get_or_create(
        username="bench-manager@bench.test",
        defaults={"email": "bench-manager@bench.test", "role": Role.MANAGER},
    )
    client = Client()
    client.force_login(manager)
    team = Team.objects.order_by("pk").first()
    tier = Tier.objects.order_by("pk").first()
    today = timezone.localdate()
    ranges = {
        "7 days": {"range": "7"},
        "30 days": {"range": "30"},
        "90 days": {"range": "90"},
        "custom 365 days": {
            "range": "custom",
            "start": (today - timedelta(days=364)).isoformat(),
            "end": today.isoformat(),
        },
    }
    filters = {
        "all": {},
        "team": {"team": team.pk} if team else {},
        "tier": {"tier": tier.pk} if tier else {},
        "team+tier": {"team": team.pk, "tier": tier.pk} if team and tier else {},
    }
    print("charts drawn for every request" if options.cold else "charts drawn once per data")
    print(f"{'range':<16} {'filter':<10} {'p50 ms':>8} {'p99 ms':>8}")
    for range_name, range_params in ranges.items():
        for filter_name, filter_params in filters.items():
            params = {**range_params, **filter_params}
            client.get("/desk/insights/", params)  # warm
            times = []
            for _ in range(options.requests):
                if options.cold:
                    presentation.forget_drawn_charts()
                start = time.perf_counter()
                response = client.get("/desk/insights/", params)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            times.sort()
            p99 = times[min(len(times) - 1, round(len(times) * 0.99) - 1)]
            print(f"{range_name:<16} {filter_name:<10} {statistics.median(times):8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
