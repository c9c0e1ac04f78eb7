"""Bulk import of a maildir or an mbox file: `everydesk import-mail PATH`.

Imported mail is history: it becomes conversations but is never acknowledged.
An import can be stopped (or killed) at any point and run again: what was
stored is recognised as a duplicate, and anything a crash left half-done is
finished first.
"""

import mailbox as mailboxes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from everydesk.lib.batches import batched
from everydesk.mail import inbound, parse_ahead
from everydesk.mail.models import InboundEmail, InboundState, Mailbox, Outcome, Source
from everydesk.mail.parsed import ParsedEmail

_DIGITS = re.compile(r"(\d+)")
# Messages per commit: commits dominate on PostgreSQL; small enough that the
# SQLite writer lock is never held for long against the web server.
BATCH = 25


class ImportProblem(Exception):
    """The path is not something we can import from."""


@dataclass
class ImportSummary:
    finished_from_before: int = 0  # left pending by an earlier run that crashed
    stored: int = 0
    duplicates: int = 0
    new_conversations: int = 0
    added_messages: int = 0
    noted: int = 0  # auto-replies and bounces read, no new message
    quarantined: int = 0
    ignored: int = 0
    unreadable: list[str] = field(default_factory=list)  # files we could not read

    def count(self, received: inbound.Received) -> None:
        if not received.created:
            self.duplicates += 1
            return
        self.stored += 1
        self._count_outcome(received.inbound)

    def _count_outcome(self, row: InboundEmail) -> None:
        if row.state == InboundState.QUARANTINED:
            self.quarantined += 1
        elif row.state == InboundState.IGNORED:
            self.ignored += 1
        elif row.outcome == Outcome.NEW_CONVERSATION:
            self.new_conversations += 1
        elif row.outcome == Outcome.ADDED_MESSAGE:
            self.added_messages += 1
        else:
            self.noted += 1

    def lines(self) -> list[str]:
        lines = []
        if self.finished_from_before:
            lines.append(f"Finished {self.finished_from_before:,} left by an earlier run.")
        lines += [
            f"Stored:                       {self.stored:,}",
            f"Duplicates skipped:           {self.duplicates:,}",
            f"New conversations:            {self.new_conversations:,}",
            f"Added to conversations:       {self.added_messages:,}",
            f"Auto-replies and bounces:     {self.noted:,}",
            f"Quarantined:                  {self.quarantined:,}",
            f"Ignored:                      {self.ignored:,}",
        ]
        lines += [f"Could not read {name}" for name in self.unreadable]
        return lines


@dataclass(frozen=True)
class _Item:
    name: str  # for error messages: the maildir file or the mbox position
    raw: bytes | None
    sender: str = ""


def import_mail(
    path: Path,
    *,
    mailbox: Mailbox | None = None,
    progress: bool | None = None,
    jobs: int | None = None,
) -> ImportSummary:
    """Store and process every message at `path` in order. Database failures propagate.

    `progress` None shows the bar only on a terminal. `jobs` processes parse ahead
    (default: one per core but one); 0 parses everything in this process.
    """
    box = _open(path)
    summary = ImportSummary(finished_from_before=inbound.process_pending())
    hidden = None if progress is None else not progress
    jobs = parse_ahead.default_jobs() if jobs is None else jobs
    items = tqdm(_read(box), total=len(box), unit="msg", disable=hidden)
    stream = parse_ahead.parsed_in_order(items, _raw_of, jobs=jobs)
    for batch in batched(stream, BATCH):
        summary.unreadable += [item.name for item, _ in batch if item.raw is None]
        readable = [(item, parsed) for item, parsed in batch if item.raw is not None]
        arrivals = [_arrival(item, parsed, mailbox) for item, parsed in readable]
        # The batch's raw bytes are committed first, in one statement; then the batch
        # is processed in one transaction, each message in a savepoint of its own, so
        # a bad one goes to quarantine alone. A crash while processing leaves the rows
        # stored and pending, and the next run finishes them first.
        received = inbound.store(arrivals)
        with transaction.atomic():
            for arrival, got in zip(arrivals, received, strict=True):
                summary.count(_processed(arrival, got))
    return summary


def _arrival(item: "_Item", parsed: ParsedEmail | None, mailbox: Mailbox | None) -> inbound.Arrival:
    assert item.raw is not None
    return inbound.Arrival(
        item.raw,
        Source.IMPORT,
        mailbox=mailbox,
        envelope_sender=item.sender,
        envelope_recipients=[mailbox.address] if mailbox else [],
        history=True,
        parsed=parsed,
    )


def _processed(arrival: inbound.Arrival, got: inbound.Received) -> inbound.Received:
    if got.inbound.state != InboundState.PENDING:
        return got  # a duplicate, already processed
    row = got.inbound if got.created else None  # a pending duplicate is read afresh
    done = inbound.process_stored(got.inbound.pk, raw=arrival.raw, parsed=arrival.parsed, row=row)
    return inbound.Received(done, got.created)


def _raw_of(item: "_Item") -> bytes | None:
    return item.raw


def _open(path: Path) -> mailboxes.Maildir | mailboxes.mbox:
    if path.is_dir():
        if not (path / "cur").is_dir() and not (path / "new").is_dir():
            raise ImportProblem(f"{path} is a directory but not a maildir (no cur/ or new/).")
        return mailboxes.Maildir(path, factory=None, create=False)
    if path.is_file():
        return mailboxes.mbox(path, factory=None, create=False)
    raise ImportProblem(f"{path} does not exist.")


def _read(box: mailboxes.Maildir | mailboxes.mbox) -> Iterator[_Item]:
    if isinstance(box, mailboxes.Maildir):
        # Maildir names start with the delivery time, so replies follow what they answer.
        for key in sorted(box.keys(), key=_delivery_order):
            yield _maildir_item(box, key)
        return
    for position, key in enumerate(box.keys(), 1):
        yield _mbox_item(box, key, position)


def _delivery_order(name: str) -> tuple[str | int, ...]:
    """Numbers compared as numbers: "1795445913.M99999P7" comes before "...M123456P7"."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(name))


def _maildir_item(box: mailboxes.Maildir, key: str) -> _Item:
    try:
        return _Item(key, box.get_bytes(key))
    except (OSError, KeyError):
        return _Item(key, None)  # vanished or unreadable; it stays where it is


def _mbox_item(box: mailboxes.mbox, key: str, position: int) -> _Item:
    data = box.get_bytes(key, from_=True)
    first, _, raw = data.partition(b"\n")
    # The "From sender date" separator line carries the envelope sender.
    if not first.startswith(b"From "):
        return _Item(f"message {position}", data)
    words = first.split()
    sender = words[1].decode("ascii", "replace") if len(words) > 1 else ""
    return _Item(f"message {position}", raw, sender)
