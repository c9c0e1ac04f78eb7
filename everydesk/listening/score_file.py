"""Score a CSV or JSON-lines file of texts, row by row, and write the rows back with scores.

For analysts with an export from another tool (survey comments, reviews): the rows
come out as they went in, in the same format and order, with the score columns added
(or replaced, when the file was scored before). Rows are read and scored in batches,
so a file of any size runs in constant memory.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from everydesk.listening.scoring import TextScore, score_texts

SCORE_COLUMNS = (
    "sentiment",
    "sentiment_label",
    "kind",
    "kind_confidence",
    "urgency",
    "urgency_signals",
    "language",
)
BATCH = 512
FORMATS = ("csv", "jsonl")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


class TextOut(Protocol):
    """Where scored rows go: a text file, stdout, or Django's command output wrapper."""

    def write(self, text: str, /) -> Any: ...


class ScoreFileProblem(Exception):
    """The file cannot be scored at all (missing, unreadable, no such column)."""


@dataclass
class Summary:
    # How rows are numbered in the messages: CSV rows as a spreadsheet shows them
    # (the header is row 1), JSON-lines by line.
    unit: str = "row"
    scored: int = 0
    without_text: list[int] = field(default_factory=list)  # kept in the output, unscored
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why): left out
    overlong: list[int] = field(default_factory=list)  # CSV rows with fields past the header

    def lines(self) -> list[str]:
        out = [f"Scored {self.scored} row(s)."]
        if self.without_text:
            numbers = ", ".join(str(n) for n in self.without_text[:20])
            more = " ..." if len(self.without_text) > 20 else ""
            out.append(
                f"{len(self.without_text)} row(s) had no text and were left unscored "
                f"({self.unit} {numbers}{more})"
            )
        if self.overlong:
            numbers = ", ".join(str(n) for n in self.overlong[:20])
            more = " ..." if len(self.overlong) > 20 else ""
            out.append(
                f"{len(self.overlong)} row(s) had more fields than the header; the extra "
                f"fields were not written (row {numbers}{more})"
            )
        for number, why in self.skipped[:20]:
            out.append(f"Line {number} left out: {why}")
        if len(self.skipped) > 20:
            out.append(f"... and {len(self.skipped) - 20} more line(s) left out")
        return out


def file_format(path: Path, given: str | None) -> str:
    if given:
        return given
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise ScoreFileProblem(
            f"{path}: cannot tell the format from the name; pass --format csv or --format jsonl"
        ) from None


def score_file(
    path: Path,
    output: TextOut,
    *,
    fmt: str,
    column: str,
    progress: bool | None = None,
) -> Summary:
    """Score every row of `path` into `output`. Raises ScoreFileProblem before writing
    anything when the file cannot be opened or lacks the column."""
    try:
        source = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ScoreFileProblem(f"{path}: {error.strerror or error}") from None
    with source:
        summary = Summary(unit="row" if fmt == "csv" else "line")
        rows = (
            _csv_rows(source, column, path, summary)
            if fmt == "csv"
            else _jsonl_rows(source, summary)
        )
        writer = _CsvOut(output) if fmt == "csv" else _JsonlOut(output)
        bar = _bar(path, progress)
        try:
            for batch in iter(lambda: list(islice(rows, BATCH)), []):
                _score_batch(batch, column, summary)
                for _number, row, _text in batch:
                    writer.write(row)
                bar.update(len(batch))
        except UnicodeDecodeError as error:
            raise ScoreFileProblem(f"{path}: not UTF-8 text ({error.reason})") from None
        except csv.Error as error:
            raise ScoreFileProblem(f"{path}: not valid CSV ({error})") from None
        finally:
            bar.close()
    return summary


# A row on its way through: (line or row number, the row as read, its text or None).
_Row = tuple[int, dict[str, Any], str | None]


def _text_of(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _csv_rows(source: IO[str], column: str, path: Path, summary: Summary) -> Iterator[_Row]:
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(source)
    try:
        header = reader.fieldnames
    except UnicodeDecodeError as error:
        raise ScoreFileProblem(f"{path}: not UTF-8 text ({error.reason})") from None
    if not header:
        raise ScoreFileProblem(f"{path}: empty file, no header row")
    if column not in header:
        raise ScoreFileProblem(
            f"{path}: no column {column!r} (columns: {', '.join(header)}); pick one with --column"
        )
    return _numbered_csv(reader, column, summary)


def _numbered_csv(reader: csv.DictReader, column: str, summary: Summary) -> Iterator[_Row]:
    # Row 1 is the header, so the first data row is row 2, as a spreadsheet shows it.
    for number, row in enumerate(reader, start=2):
        if None in row:  # csv puts fields past the header under None
            summary.overlong.append(number)
            del row[None]
        yield number, row, _text_of(row.get(column))


def _jsonl_rows(source: IO[str], summary: Summary) -> Iterator[_Row]:
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            summary.skipped.append((number, f"not JSON ({error.msg})"))
            continue
        if not isinstance(row, dict):
            summary.skipped.append((number, "not a JSON object"))
            continue
        yield number, row, None  # the field is read in _score_batch, which knows it


def _score_batch(batch: list[_Row], column: str, summary: Summary) -> None:
    texts: list[str] = []
    targets: list[dict[str, Any]] = []
    for index, (number, row, text) in enumerate(batch):
        if text is None:
            text = _text_of(row.get(column))
        if text is None:
            summary.without_text.append(number)
            for name in SCORE_COLUMNS:
                row.pop(name, None)
            batch[index] = (number, row, None)
            continue
        texts.append(text)
        targets.append(row)
    for row, score in zip(targets, score_texts(texts), strict=True):
        row.update(_columns(score))
    summary.scored += len(texts)


def _columns(score: TextScore) -> dict[str, Any]:
    return {
        "sentiment": round(score.sentiment, 3),
        "sentiment_label": score.sentiment_label,
        "kind": score.kind,
        "kind_confidence": round(score.kind_confidence, 3),
        "urgency": score.urgency,
        "urgency_signals": list(score.urgency_signals),
        "language": score.language,
    }


class _CsvOut:
    """CSV with the input's columns, then the score columns; signals joined by ';'."""

    def __init__(self, output: TextOut) -> None:
        self.output = output
        self.writer: csv.DictWriter | None = None

    def write(self, row: dict[str, Any]) -> None:
        if self.writer is None:
            fields = [name for name in row if name not in SCORE_COLUMNS and name is not None]
            self.writer = csv.DictWriter(
                self.output, fieldnames=[*fields, *SCORE_COLUMNS], extrasaction="ignore"
            )
            self.writer.writeheader()
        signals = row.get("urgency_signals")
        if isinstance(signals, list):
            row = {**row, "urgency_signals": ";".join(signals)}
        self.writer.writerow(row)


class _JsonlOut:
    def __init__(self, output: TextOut) -> None:
        self.output = output

    def write(self, row: dict[str, Any]) -> None:
        self.output.write(json.dumps(row, ensure_ascii=False) + "\n")


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(path: Path, progress: bool | None) -> Any:
    """tqdm on stderr: always (True), never (False), or when stderr is a terminal (None)."""
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(desc=f"scoring {path.name}", unit=" rows", file=sys.stderr)
