"""A real SMTP server for tests: aiosmtpd in a thread on a free port of 127.0.0.1.

It keeps every message it accepts (envelope and raw bytes) and can be told how to
answer the next RCPT commands, e.g. "451 4.7.1 Greylisted" once and then accept, so
tests see exactly what smtplib and Django's SMTP backend do with real server replies.

    with running(settings) as sink:      # settings: pytest-django's fixture
        sink.answer_rcpt("550 5.1.1 <carol@example.com>: user unknown")
        ...
        sink.received[0].message["Message-ID"]
"""

import email
import socket
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        return parsed


class SmtpSink:
    """The handler aiosmtpd calls; also what tests read and script."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.rcpt_answers: deque[str] = deque()
        self.host = "127.0.0.1"
        self.port = 0

    def answer_rcpt(self, *answers: str) -> None:
        """Answer the next RCPT commands with these replies, then accept again."""
        self.rcpt_answers.extend(answers)

    async def handle_RCPT(  # names aiosmtpd looks for
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_answers:
            return self.rcpt_answers.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 2.0.0 Message accepted for delivery"


def free_port() -> int:
    """A port nothing listens on (also how a test gets a mail server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def use_smtp(settings: Any, port: int, *, user: str = "", password: str = "") -> None:
    """Point Django's SMTP backend (not locmem) at 127.0.0.1:port."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = user, password
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10


def _refuse_every_login(*args: Any) -> AuthResult:
    return AuthResult(success=False, handled=False)


@contextmanager
def running(settings: Any, *, refuse_login: bool = False) -> Iterator[SmtpSink]:
    """A started sink with Django's mail going to it; stopped on exit.

    refuse_login: the server offers AUTH (without TLS) and refuses every password.
    """
    sink = SmtpSink()
    sink.port = free_port()
    options: dict[str, Any] = {}
    if refuse_login:
        options = {"authenticator": _refuse_every_login, "auth_require_tls": False}
    controller = Controller(sink, hostname=sink.host, port=sink.port, **options)
    controller.start()
    try:
        if refuse_login:
            use_smtp(settings, sink.port, user="desk", password="wrong")
        else:
            use_smtp(settings, sink.port)
        yield sink
    finally:
        controller.stop()


@contextmanager
def silent_server(settings: Any) -> Iterator[int]:
    """A port that takes the connection and then never says a word (a hung server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = int(listener.getsockname()[1])
        use_smtp(settings, port)
        yield port
