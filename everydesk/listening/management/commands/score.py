"""`everydesk score FILE`: score a CSV or JSON-lines file of texts, for analysts."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from everydesk.listening.score_file import FORMATS, ScoreFileProblem, file_format, score_file


class Command(BaseCommand):
    help = (
        "Score every row of a CSV file (with a header) or JSON-lines file: sentiment, kind, "
        "urgency and language. Writes the rows back, in the same format, with the score "
        "columns added. Rows without text are kept, unscored, and listed at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv, .jsonl or .ndjson file")
        parser.add_argument(
            "--column",
            "--field",
            dest="column",
            default="text",
            help="the CSV column or JSON field that holds the text (default: text)",
        )
        parser.add_argument("--format", choices=FORMATS, help="when the file name does not say")
        parser.add_argument(
            "--output", "-o", type=Path, help="where to write the scored rows (default: stdout)"
        )
        bar = parser.add_mutually_exclusive_group()
        bar.add_argument("--progress", action="store_true", help="always show the progress bar")
        bar.add_argument("--no-progress", action="store_true", help="never show it")

    def handle(
        self, *args: Any, file: Path, column: str, output: Path | None, **options: Any
    ) -> None:
        progress = True if options["progress"] else False if options["no_progress"] else None
        try:
            fmt = file_format(file, options["format"])
            if output is not None and output.resolve() == file.resolve():
                raise ScoreFileProblem(f"{output}: --output must not be the input file")
            if not file.is_file():
                raise ScoreFileProblem(f"{file}: no such file")
            if output is None:
                summary = score_file(file, self.stdout, fmt=fmt, column=column, progress=progress)
            else:
                with output.open("w", encoding="utf-8", newline="") as target:
                    summary = score_file(file, target, fmt=fmt, column=column, progress=progress)
        except ScoreFileProblem as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{error.filename}: {error.strerror}") from None
        for line in summary.lines():
            sys.stderr.write(line + "\n")
