"""`everydesk import-orders FILE.csv`: import orders from a CSV file."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from everydesk.customers.order_rows import COLUMNS
from everydesk.customers.orders import BadFile, Progress, csv_rows, import_orders, open_csv


def _advance(bar: tqdm) -> Progress:
    """One bar for both passes: it fills as rows are checked, then again as written."""

    shown = ["checked"]

    def advance(phase: str, rows: int) -> None:
        if shown[-1] != phase:
            shown.append(phase)
            bar.set_description(phase)
            bar.reset(total=bar.total)
        bar.update(rows)

    return advance


class Command(BaseCommand):
    help = (
        f"Import orders from a CSV file with the columns {', '.join(COLUMNS)}. Orders are "
        "matched on their number, so running the same file again changes nothing. "
        "Any bad row stops the whole import (and all bad rows are listed) unless "
        "--skip-bad is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file")
        parser.add_argument(
            "--skip-bad", action="store_true", help="import the good rows, report the bad ones"
        )
        bar = parser.add_mutually_exclusive_group()
        bar.add_argument("--progress", action="store_true", help="always show the progress bar")
        bar.add_argument("--no-progress", action="store_true", help="never show it")

    def handle(self, *args: Any, path: Path, skip_bad: bool, **options: Any) -> None:
        shown = options["progress"] or (sys.stderr.isatty() and not options["no_progress"])
        try:
            with path.open("rb") as raw:
                rows = list(csv_rows(open_csv(raw)))
            with tqdm(total=len(rows), unit="row", desc="checked", disable=not shown) as bar:
                summary = import_orders(rows, skip_bad=skip_bad, progress=_advance(bar))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except BadFile as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        for line in summary.lines():
            self.stdout.write(line)
        if not summary.imported:
            raise CommandError("Some rows are bad; see the list above.")
