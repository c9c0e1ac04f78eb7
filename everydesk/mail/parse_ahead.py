"""Parse a stream of raw messages in other processes while this one writes.

Parsing is a third to a half of the work per message and needs no database, so
a bulk import hands it to worker processes and keeps the order: replies still
arrive after what they answer. Only a bounded window of messages is in flight,
so an import of any size uses little memory.

This is a speed-up, never a dependency: a message the workers could not parse
(or a worker that died) comes back as None, and ingestion parses it itself,
after storing it, as it always does.
"""

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import TypeVar

from django.conf import settings

from everydesk.lib.batches import batched
from everydesk.mail.parse import parse
from everydesk.mail.parsed import ParsedEmail

T = TypeVar("T")
CHUNK = 8  # messages per job: fewer round trips than one each, small enough to keep order cheap


def default_jobs() -> int:
    """Worker processes: one core stays with the writer."""
    return max(0, min((os.cpu_count() or 1) - 1, 4))


def parsed_in_order(
    items: Iterable[T], raw_of: Callable[[T], bytes | None], *, jobs: int
) -> Iterator[tuple[T, ParsedEmail | None]]:
    """Each item with parse(raw_of(item)), or None where ingestion must parse it itself."""
    if jobs < 1:
        yield from ((item, None) for item in items)
        return
    window: deque[tuple[list[T], Future[list[ParsedEmail | None]] | None]] = deque()
    # fork: workers inherit the loaded code; they never touch the database.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        broken = False
        for chunk in batched(items, CHUNK):
            future = None
            if not broken:
                try:
                    future = pool.submit(_parse_chunk, [raw_of(item) for item in chunk])
                except BrokenProcessPool:
                    broken = True
            window.append((chunk, future))
            if len(window) > jobs * 4:
                yield from _finish(*window.popleft())
        while window:
            yield from _finish(*window.popleft())


def _finish(
    chunk: list[T], future: "Future[list[ParsedEmail | None]] | None"
) -> Iterator[tuple[T, ParsedEmail | None]]:
    try:
        results = future.result() if future else [None] * len(chunk)
    except BrokenProcessPool:  # a worker died (a parser crash): parse these here
        results = [None] * len(chunk)
    yield from zip(chunk, results, strict=True)


def _parse_chunk(raws: list[bytes | None]) -> list[ParsedEmail | None]:
    return [_parse_quietly(raw) for raw in raws]


def _parse_quietly(raw: bytes | None) -> ParsedEmail | None:
    if raw is None or len(raw) > settings.EMAIL_MAX_BYTES:
        return None
    try:
        return parse(raw)
    except Exception:  # ingestion parses it again and keeps the reason in quarantine
        return None
