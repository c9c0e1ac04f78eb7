"""Hand one email to the configured backend and say what the mail server answered.

SMTP's first digit says whether trying again can help: 5xx is a refusal to keep
(a wrong address stays wrong), 4xx and no answer at all are worth another try.
One exception: a refused login (535 and friends) is our own configuration, so it
is retried, and fixing the password lets the waiting mail through.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    answer: str  # the server's words, e.g. "550 5.1.1 <carol@example.com>: user unknown"
    permanent: bool


def send(email: EmailMessage) -> Failure | None:
    """None when the server took the message."""
    # EMAIL_TIMEOUT is always set (settings.py): without one a server that never
    # answers would hold a worker forever.
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    try:
        connection.open()
        if connection.send_messages([email]) != 1:
            return Failure("The message has no recipient.", permanent=True)
    except smtplib.SMTPRecipientsRefused as error:
        return _refused(error)
    except smtplib.SMTPAuthenticationError as error:
        return Failure(f"Login refused: {_reply(error)}", permanent=False)
    except smtplib.SMTPResponseException as error:
        return Failure(_reply(error), permanent=error.smtp_code >= 500)
    except (smtplib.SMTPException, OSError) as error:
        # Refused or dropped connections, timeouts, TLS trouble, unknown host.
        return Failure(f"No answer from {_server(connection)}: {_describe(error)}", permanent=False)
    except ValueError as error:  # an address Django cannot encode
        return Failure(f"Invalid address: {error}", permanent=True)
    finally:
        _close(connection)
    return None


def _close(connection: BaseEmailBackend) -> None:
    # The message was taken (or refused) before this point; a server that fumbles the
    # QUIT must not turn a delivered message into a retry, that is a duplicate.
    try:
        connection.close()
    except Exception:
        log.info("closing the mail connection failed", exc_info=True)


def _refused(error: smtplib.SMTPRecipientsRefused) -> Failure:
    code, message = next(iter(error.recipients.values()), (550, b"recipient refused"))
    return Failure(_text(code, message), permanent=code >= 500)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return _text(error.smtp_code, error.smtp_error)


def _text(code: int, message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return " ".join(f"{code} {message}".split())


def _describe(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _server(connection: BaseEmailBackend) -> str:
    host, port = getattr(connection, "host", None), getattr(connection, "port", None)
    return f"the mail server {host}:{port}" if host else "the mail backend"
