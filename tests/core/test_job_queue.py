"""The configured queue (SQLite file embedded, Redis in production) really carries jobs.

Other tests run jobs inline; this one goes through the real storage, so the
PostgreSQL + Redis run of the suite proves the Redis queue end to end.
"""

import pytest
from django.conf import settings
from django.core import mail

from everydesk.mail.tasks import send_mail


@pytest.fixture
def real_queue():
    huey = settings.HUEY
    huey.immediate = False
    huey.flush()
    yield huey
    huey.flush()
    huey.immediate = True


def test_a_queued_mail_waits_in_storage_until_a_worker_runs_it(db, real_queue):
    send_mail("login_link", "carol@example.com", {"url": "https://x.test/l/abc", "minutes": "15"})
    assert real_queue.pending_count() == 1
    assert mail.outbox == []

    task = real_queue.dequeue()
    real_queue.execute(task)

    assert real_queue.pending_count() == 0
    assert mail.outbox[0].to == ["carol@example.com"]
    assert "https://x.test/l/abc" in mail.outbox[0].body


def test_the_queue_is_the_configured_kind(real_queue):
    expected = "RedisStorage" if settings.REDIS_URL else "SqliteStorage"
    assert type(real_queue.storage).__name__ == expected
