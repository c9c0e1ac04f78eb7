"""Parsing ahead in worker processes keeps the order and never loses a message."""

import os

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


def test_a_worker_that_dies_costs_speed_not_messages(monkeypatch):
    real = parse_ahead.parse

    def crashing(raw: bytes):
        if b"Poison" in raw:
            os._exit(1)  # like a segfault in the parser
        return real(raw)

    monkeypatch.setattr(parse_ahead, "parse", crashing)  # workers are forked: they see it
    raws = [email_bytes(subject=f"Fine {n}") for n in range(20)]
    raws[12] = email_bytes(subject="Poison")  # in the second chunk of eight

    results = list(parse_ahead.parsed_in_order(raws, _raw, jobs=1))

    assert [item for item, _ in results] == raws
    assert results[12][1] is None
    assert results[0][1] is not None  # the chunk before the crash was parsed


def test_no_workers_means_everything_is_parsed_by_ingestion():
    raws = [email_bytes()]
    assert list(parse_ahead.parsed_in_order(raws, _raw, jobs=0)) == [(raws[0], None)]
