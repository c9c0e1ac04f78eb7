"""`everydesk ingest-email < message.eml`: the pipe a mail server delivers through.

Exit statuses follow sendmail's conventions (see mail/doors/pipe.py): 0 stored,
75 not stored (the mail server retries), 64/65/67 permanent problems.
"""

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from everydesk.mail.doors import pipe

log = logging.getLogger(__name__)
ARGPARSE_ERROR = 2


class Command(BaseCommand):
    help = "Store one message read from standard input (for a mail server's pipe transport)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mailbox", default="", help="the support address it was sent to (else: read it)"
        )
        parser.add_argument("--sender", default="", help="the envelope sender (Postfix: ${sender})")
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="an envelope recipient (Postfix: ${original_recipient}); repeatable",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except SystemExit as stop:
            # Wrong arguments: EX_USAGE is what a mail server understands.
            if stop.code == ARGPARSE_ERROR:
                sys.exit(pipe.EX_USAGE)
            raise

    def execute(self, *args: Any, **options: Any) -> None:
        try:
            super().execute(*args, **options)
        except DatabaseError as error:
            # The usual cause is a database not (yet) set up: one line the mail log can show.
            sys.stderr.write(
                f"ingest-email: not stored, try again later: the database refused it ({error}); "
                "if everydesk was just installed or upgraded, run `everydesk migrate`\n"
            )
            sys.exit(pipe.EX_TEMPFAIL)
        except Exception:
            # Whatever went wrong, the message is not stored: ask for a retry, never bounce.
            log.exception("ingest-email could not store the message")
            sys.stderr.write("ingest-email: not stored, try again later\n")
            sys.exit(pipe.EX_TEMPFAIL)

    def handle(
        self, *args: Any, mailbox: str, sender: str, recipient: list[str], **options: Any
    ) -> None:
        raw = sys.stdin.buffer.read()
        try:
            done = pipe.ingest(raw, mailbox_address=mailbox, sender=sender, recipients=recipient)
        except pipe.PipeError as error:
            sys.stderr.write(f"ingest-email: {error}\n")
            sys.exit(error.status)
        if options["verbosity"] > 1:
            what = "stored" if done.created else "already stored"
            self.stdout.write(f"{what}: inbound email {done.inbound_id} ({done.state})")
