"""`everydesk import-mail PATH`: import a maildir or an mbox file as history."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from everydesk.mail.doors.importer import ImportProblem, import_mail
from everydesk.mail.models import Mailbox


class Command(BaseCommand):
    help = (
        "Import every message of a maildir (a directory with cur/ and new/) or an mbox file. "
        "Imported mail is history: it is never acknowledged. Safe to stop and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="maildir directory or mbox file")
        parser.add_argument(
            "--mailbox", default="", help="the support address this mail was sent to"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="processes that parse ahead while this one writes (default: cores - 1; 0: none)",
        )
        bar = parser.add_mutually_exclusive_group()
        bar.add_argument("--progress", action="store_true", help="always show the progress bar")
        bar.add_argument("--no-progress", action="store_true", help="never show it")

    def handle(self, *args: Any, path: Path, mailbox: str, **options: Any) -> None:
        target = _mailbox(mailbox) if mailbox else None
        progress = True if options["progress"] else False if options["no_progress"] else None
        try:
            summary = import_mail(path, mailbox=target, progress=progress, jobs=options["jobs"])
        except ImportProblem as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(
                f"Database failure ({error}). Nothing stored is lost: run the import again "
                "to continue."
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        if summary.unreadable:
            raise CommandError(f"{len(summary.unreadable)} message file(s) could not be read.")


def _mailbox(address: str) -> Mailbox:
    mailbox = Mailbox.objects.filter(address=address.strip().lower()).first()
    if mailbox is None:
        raise CommandError(f"No mailbox has the address {address}.")
    return mailbox
