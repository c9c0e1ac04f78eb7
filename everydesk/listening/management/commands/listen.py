"""`everydesk listen`: score what is waiting; with --backfill, first give every customer
message a voice (after an upgrade, or for bulk-generated demo data)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from everydesk.listening import backfill, scorer


class Command(BaseCommand):
    help = (
        "Score every unscored voice now, in batches. --backfill first creates the voices of "
        "customer messages that have none. Safe to stop and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backfill",
            action="store_true",
            help="create missing voices for customer messages, then score everything",
        )
        parser.add_argument(
            "--batch-size", type=int, default=None, help="texts per model call (default 256)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="with --backfill: processes scoring in parallel, each its own share "
            "(default 1; the cores make the limit)",
        )
        bar = parser.add_mutually_exclusive_group()
        bar.add_argument("--progress", action="store_true", help="always show the progress bar")
        bar.add_argument("--no-progress", action="store_true", help="never show it")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1.")
        interactive = self.stderr.isatty()
        progress = options["progress"] or (interactive and not options["no_progress"])
        try:
            if options["backfill"]:
                summary = backfill.run(
                    progress=progress, batch_size=batch_size, jobs=options["jobs"]
                )
                for line in summary.lines():
                    self.stdout.write(line)
            else:
                claimed = scorer.score_pending(batch_size=batch_size)
                self.stdout.write(f"Voices scored: {claimed:,}")
        except DatabaseError as error:
            raise CommandError(
                f"Database failure ({error}). What was scored is kept: run it again to continue."
            ) from None
