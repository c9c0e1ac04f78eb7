"""Jobs assigning voices at the same moment: every voice counted once, none lost."""

import datetime as dt
import threading

import pytest
from django.db import connection

from everydesk.listening import topics
from everydesk.listening.models import Topic, TopicVolume, Voice
from tests.listening.conftest import make_topic, make_voice, near
from tests.mail.shared_database import shared_database

AT = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC)
THREADS = 4
PER_THREAD = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_assigns_count_each_voice_once_into_the_same_hour(tmp_path):
    with shared_database(tmp_path):
        topic = make_topic(0)
        voices = [
            make_voice(f"charged twice {i}", near(0), at=AT) for i in range(THREADS * PER_THREAD)
        ]
        start = threading.Barrier(THREADS)
        failures: list[BaseException] = []

        def work(index: int) -> None:
            try:
                # Each job gets its own share plus its neighbour's: every voice is offered twice.
                mine = voices[index * PER_THREAD : (index + 1) * PER_THREAD]
                theirs = voices[((index + 1) % THREADS) * PER_THREAD :][:PER_THREAD]
                fresh = list(Voice.objects.filter(pk__in=[v.pk for v in mine + theirs]))
                start.wait()
                topics.assign(fresh)
            except BaseException as error:  # surfaced below, in the test's thread
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        volume = TopicVolume.objects.get(topic=topic)
        assert volume.count == THREADS * PER_THREAD
        assert Topic.objects.get(pk=topic.pk).voice_count == THREADS * PER_THREAD
        assert Voice.objects.filter(topic=topic).count() == THREADS * PER_THREAD
