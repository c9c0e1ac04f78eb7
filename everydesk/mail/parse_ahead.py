"""Parse a stream of raw messages in other processes while this one writes.

Parsing is a third to a half of the work per message and needs no database, so
a bulk import hands it to worker processes and keeps the order: replies still
arrive after what they answer. Only a bounded window of messages is in flight,
so an import of any size uses little memory.

This is a speed-up, never a dependency: a message the workers could not parse
(or a worker that died) comes back as None, and ingestion parses it itself,
after storing it, as it always does.

Workers are started fresh ("spawn"), not forked: a forked worker would hold a
copy of this process's database socket, and if this process were killed the
database would keep its open transaction, and its locks, for as long as the
worker lived. They also leave as soon as this process is gone.
"""

import os
import threading
import time
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
    max_bytes = settings.EMAIL_MAX_BYTES
    window: deque[tuple[list[T], Future[list[ParsedEmail | None]] | None]] = deque()
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=get_context("spawn"),
        initializer=_leave_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        broken = False
        for chunk in batched(items, CHUNK):
            future = None
            if not broken:
                try:
                    raws = [raw_of(item) for item in chunk]
                    future = pool.submit(_parse_chunk, raws, max_bytes)
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


def _leave_with_parent(parent: int) -> None:
    """Runs in each worker: exit once the importing process is gone (even if killed)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _parse_chunk(raws: list[bytes | None], max_bytes: int) -> list[ParsedEmail | None]:
    return [_parse_quietly(raw, max_bytes) for raw in raws]


def _parse_quietly(raw: bytes | None, max_bytes: int) -> ParsedEmail | None:
    if raw is None or len(raw) > max_bytes:
        return None
    try:
        return parse(raw)
    except Exception:  # ingestion parses it again and keeps the reason in quarantine
        return None
