"""`everydesk sla --backfill`: clocks for open conversations that have none."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from everydesk.sla import clocks


class Command(BaseCommand):
    help = (
        "Give every open conversation without an SLA clock one (after an upgrade or a bulk load)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backfill", action="store_true", help="start the clocks (required)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["backfill"]:
            raise CommandError("Nothing to do: add --backfill to start the missing clocks.")
        made = clocks.backfill()
        self.stdout.write(f"Started {made} SLA clock(s).")
