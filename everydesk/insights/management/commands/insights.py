"""`everydesk insights --rebuild`: recompute the dashboard's rollups from scratch."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from everydesk.insights import rollups


class Command(BaseCommand):
    help = "Bring the insight rollups up to date (--rebuild: recompute them from scratch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="recompute every rollup from the sources"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = rollups.rebuild() if options["rebuild"] else rollups.refresh()
        self.stdout.write(
            f"{'Rebuilt' if options['rebuild'] else 'Refreshed'}: "
            f"{result.conversations:,} conversations, {result.voices:,} voices, "
            f"{result.days:,} days in {time.monotonic() - started:.1f} s"
        )
