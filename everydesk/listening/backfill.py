"""Catching up: voices for customer messages that have none (written before listening
existed, or by the bulk demo generator), then scoring everything unscored.

Both halves work in committed chunks, so stopping at any moment loses nothing and
running again continues where it stopped.
"""

import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from django.db import transaction
from tqdm import tqdm

from everydesk.conversations.models import Message, MessageKind
from everydesk.listening import intake, score_workers, scorer
from everydesk.listening.models import Voice, VoiceSource

CHUNK = 5000
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Summary:
    voices_created: int
    claimed: int
    failed: int
    seconds: float

    def lines(self) -> list[str]:
        rate = self.claimed / self.seconds if self.seconds else 0.0
        return [
            f"Voices created for customer messages without one: {self.voices_created:,}",
            f"Voices scored: {self.claimed - self.failed:,} "
            f"({self.failed:,} could not be scored), {rate:,.0f} per second",
        ]


def create_missing_voices(*, progress: bool = False) -> int:
    """A voice for each customer message without one, a chunk per transaction."""
    todo = Message.objects.filter(kind=MessageKind.CUSTOMER, voice__isnull=True)
    total = todo.count()
    created, after = 0, 0
    with tqdm(
        total=total, unit="voice", desc="voices", disable=not progress, file=sys.stderr
    ) as bar:
        while True:
            chunk = list(
                todo.filter(pk__gt=after)
                .order_by("pk")
                .values_list(
                    "pk",
                    "conversation_id",
                    "author_customer_id",
                    "channel",
                    "body_text",
                    "created_at",
                )[:CHUNK]
            )
            if not chunk:
                break
            after = chunk[-1][0]
            voices = [
                Voice(
                    source=VoiceSource.MESSAGE,
                    message_id=pk,
                    conversation_id=conversation_id,
                    customer_id=customer_id,
                    channel=channel,
                    text=intake.voice_text(body, channel=channel) or body[: intake.MAX_TEXT],
                    created_at=created_at,
                )
                for pk, conversation_id, customer_id, channel, body, created_at in chunk
            ]
            with transaction.atomic():
                # ignore_conflicts: a message that got its voice meanwhile keeps that one.
                Voice.objects.bulk_create(voices, batch_size=1000, ignore_conflicts=True)
            created += len(voices)
            bar.update(len(chunk))
    return created


def run(*, progress: bool = False, batch_size: int | None = None, jobs: int = 1) -> Summary:
    started = time.monotonic()
    created = create_missing_voices(progress=progress)
    total = scorer.unscored().count()
    with tqdm(
        total=total, unit="voice", desc="scoring", disable=not progress, file=sys.stderr
    ) as bar:
        if jobs > 1:
            claimed = _score_in_parallel(jobs, batch_size, bar.update)
        else:
            claimed = scorer.score_pending(batch_size=batch_size, progress=bar.update)
    failed = Voice.objects.exclude(score_error="").count()
    return Summary(created, claimed, failed, time.monotonic() - started)


def _score_in_parallel(jobs: int, batch_size: int | None, progress: Callable[[int], None]) -> int:
    """`jobs` processes, each scoring its share; progress read from the table meanwhile."""
    left = scorer.unscored().count()
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=get_context("spawn"),
        initializer=score_workers.start,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [
            pool.submit(score_workers.score_share, share, jobs, batch_size) for share in range(jobs)
        ]
        while not all(future.done() for future in futures):
            time.sleep(POLL_SECONDS)
            now = scorer.unscored().count()
            progress(left - now)
            left = now
        return sum(future.result() for future in futures)
