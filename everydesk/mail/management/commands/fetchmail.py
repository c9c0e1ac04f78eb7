"""`everydesk fetchmail`: poll the IMAP mailboxes configured in the admin."""

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from everydesk.mail import inbound
from everydesk.mail.doors.imap import PollResult, poll_all


class Command(BaseCommand):
    help = (
        "Fetch new mail from every active mailbox with IMAP settings, once (the default) "
        "or every EVERYDESK_IMAP_POLL_SECONDS with --loop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="poll once and exit (default)")
        mode.add_argument("--loop", action="store_true", help="poll until stopped")
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.IMAP_POLL_SECONDS,
            help="seconds between polls with --loop (EVERYDESK_IMAP_POLL_SECONDS)",
        )

    def handle(self, *args: Any, loop: bool, interval: int, **options: Any) -> None:
        # Rows a crashed run stored but did not process are finished first.
        inbound.process_pending()
        if not loop:
            if not self._poll():
                raise CommandError("Some mailboxes could not be polled (see above).")
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            try:
                self._poll()
            except DatabaseError as error:
                # Nothing was marked on any server; the next poll goes on from here.
                self.stderr.write(f"Database failure, polling again later: {error}")
            close_old_connections()
            stop.wait(max(5, interval))

    def _poll(self) -> bool:
        results = poll_all()
        if not results:
            self.stdout.write("No active mailbox has IMAP settings.")
        for result in results:
            self._report(result)
        return all(result.ok for result in results)

    def _report(self, result: PollResult) -> None:
        line = f"{result.mailbox}: {result.stored} stored, {result.duplicates} already stored"
        if result.ok:
            self.stdout.write(line)
        else:
            self.stderr.write(f"{line}; stopped: {result.error}")
        for problem in result.problems:
            self.stderr.write(f"{result.mailbox}: {problem}")
        self.stdout.flush()
