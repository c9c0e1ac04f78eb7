"""`everydesk recovery --backfill`: count complaints solved before recovery kept them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from everydesk.recovery import backfill


class Command(BaseCommand):
    help = "Record every solved complaint for the recovery figures (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backfill", action="store_true", help="record them (required)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["backfill"]:
            raise CommandError("Nothing to do: add --backfill to record solved complaints.")
        added = backfill.solved_complaints()
        self.stdout.write(f"Recorded {added} solved complaint(s) for the recovery figures.")
