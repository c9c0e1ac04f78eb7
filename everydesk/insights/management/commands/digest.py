"""`everydesk digest --send [--to a@x,b@y]`: mail last week's digest now."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone

from everydesk.insights import digest


class Command(BaseCommand):
    help = "Mail the weekly digest of the latest scheduled week now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--send", action="store_true", help="send it (required)")
        parser.add_argument(
            "--to",
            action="append",
            default=[],
            help="address(es) to send to instead of the configured recipients; "
            "repeat or separate with commas",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["send"]:
            raise CommandError("Nothing to do: add --send to mail the digest now.")
        to = [a.strip() for value in options["to"] for a in value.split(",") if a.strip()]
        for address in to:
            try:
                validate_email(address)
            except ValidationError:
                raise CommandError(f"{address!r} is not an email address.") from None
        period = digest.due_period(timezone.now())
        try:
            if to:
                # Sent to people named by hand: not recorded as the week's scheduled run.
                sent = digest.mail(period, to)
            else:
                recipients = digest.recipients()
                if not recipients:
                    raise CommandError(
                        "Nobody receives the digest: add a recipient in the admin "
                        "(Insights > Digest recipients), set EVERYDESK_DIGEST_TO, or use --to."
                    )
                run = digest.send(period, recipients)
                if run is None:
                    raise CommandError(
                        f"The digest for {period.label()} was already sent; "
                        "use --to to send a copy."
                    )
                sent = len(recipients)
        except digest.DigestError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Sent the digest for {period.label()} to {sent} recipient(s).")
