"""Parsing ahead in worker processes keeps the order and never loses a message."""

import multiprocessing
import os
import signal
import subprocess
import sys

import psutil

from everydesk.mail import parse_ahead
from everydesk.mail.parse import parse
from tests.mail.messages import email_bytes


def _raw(item: bytes | None) -> bytes | None:
    return item


def test_results_come_back_in_order_and_equal_to_parsing_here():
    raws = [email_bytes(subject=f"Message {n}") for n in range(40)]

    results = list(parse_ahead.parsed_in_order(raws, _raw, jobs=2))

    assert [item for item, _ in results] == raws
    assert [parsed.subject for _, parsed in results] == [parse(raw).subject for raw in raws]


def test_what_workers_cannot_parse_is_left_to_ingestion():
    raws = [email_bytes(), b"", None, email_bytes(subject="Last")]

    results = [parsed for _, parsed in parse_ahead.parsed_in_order(raws, _raw, jobs=1)]

    assert results[0] is not None and results[3].subject == "Last"
    assert results[1] is None and results[2] is None


def test_a_worker_that_dies_costs_speed_not_messages():
    raws = [email_bytes(subject=f"Fine {n}") for n in range(200)]
    stream = parse_ahead.parsed_in_order(raws, _raw, jobs=1)
    first = next(stream)
    assert first[1] is not None

    for worker in multiprocessing.active_children():  # like a segfault in the parser
        os.kill(worker.pid, signal.SIGKILL)
    rest = list(stream)

    assert [item for item, _ in [first, *rest]] == raws
    assert rest[-1][1] is None  # left for ingestion to parse


_SLOW_IMPORT = """
import os, time, django
django.setup()
from everydesk.mail import parse_ahead

def slow():
    while True:
        time.sleep(0.01)
        yield b"From: a@example.com\\nSubject: hi\\n\\nhello\\n"

for item, parsed in parse_ahead.parsed_in_order(slow(), lambda raw: raw, jobs=2):
    print("parsed", flush=True)
"""


def test_workers_leave_when_the_importer_is_killed():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "everydesk.settings"}
    importer = subprocess.Popen(  # noqa: S603 (our own script)
        [sys.executable, "-c", _SLOW_IMPORT], stdout=subprocess.PIPE, env=env
    )
    try:
        assert importer.stdout.readline().strip() == b"parsed"
        workers = psutil.Process(importer.pid).children(recursive=True)
        assert workers
    finally:
        importer.kill()
        importer.wait()

    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, [worker.cmdline() for worker in alive]


def test_no_workers_means_everything_is_parsed_by_ingestion():
    raws = [email_bytes()]
    assert list(parse_ahead.parsed_in_order(raws, _raw, jobs=0)) == [(raws[0], None)]
