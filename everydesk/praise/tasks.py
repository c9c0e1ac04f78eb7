"""Praise jobs: tell people right after their praise is recorded, and a sweep for what
a lost job left untold."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.praise import announcing


@db_task()
def announce_praise(voice_ids: list[int]) -> None:
    """Safe to run twice: what was told is marked in the same transaction."""
    announcing.announce_voices(voice_ids)


@db_periodic_task(crontab(minute="*/5"))
def sweep_untold() -> None:
    announcing.sweep()
