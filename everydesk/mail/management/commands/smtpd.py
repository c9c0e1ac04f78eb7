"""`everydesk smtpd`: the SMTP/LMTP listener a mail server delivers support mail to."""

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from everydesk.mail.doors.smtp import Listener, serve_forever


class Command(BaseCommand):
    help = (
        "Receive mail for the configured mailboxes over SMTP (or LMTP with --lmtp). "
        "Other recipients are refused at RCPT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=settings.SMTPD_HOST,
            help="address to listen on (EVERYDESK_SMTPD_HOST)",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=settings.SMTPD_PORT,
            help="port to listen on (EVERYDESK_SMTPD_PORT)",
        )
        parser.add_argument(
            "--lmtp", action="store_true", help="speak LMTP (one answer per recipient)"
        )

    def handle(self, *args: Any, host: str, port: int, lmtp: bool, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        listener = Listener(host=host, port=port, lmtp=lmtp)
        protocol = "LMTP" if lmtp else "SMTP"
        self.stdout.write(f"Listening for {protocol} on {host}:{port}", ending="\n")
        self.stdout.flush()
        serve_forever(listener, stop)
        self.stdout.write("Stopped.")
