"""The SMTP (or LMTP) listener the mail server delivers to: `everydesk smtpd`.

Recipients are checked at RCPT against the active mailboxes (and their
plus-addresses), so we are never an open relay and refused mail bounces at the
sending server, not with us. A message is answered 250 only once its bytes are
committed; processing is then queued for the worker, so a slow parse never
holds the connection. Database work runs in threads: the ORM is synchronous.
"""

import asyncio
import logging
import threading
from collections.abc import Sequence
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connection

from everydesk.mail import inbound
from everydesk.mail.models import InboundState, Source

log = logging.getLogger(__name__)

REFUSED = "550 5.1.1 No such mailbox here"
TEMPORARY = "451 4.3.0 Could not store the message now, try again later"
STORED = "250 2.0.0 Stored"
# Lines longer than SMTP allows are a sender's sin, not a reason to refuse the mail:
# the parser copes. Memory stays bounded by the message size limit.
LINE_LIMIT = 1024 * 1024


class Handler:
    """aiosmtpd hooks: RCPT decides who we accept, DATA stores the message."""

    def __init__(self, *, lmtp: bool = False) -> None:
        self.lmtp = lmtp

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        try:
            ours = await asyncio.to_thread(_in_thread, _is_ours, address)
        except Exception:
            log.exception("could not look up recipient %s", address)
            return TEMPORARY
        if not ours:
            return f"{REFUSED}: <{address}>"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        sender = envelope.mail_from or ""
        if not self.lmtp:
            return await _store(raw, sender, envelope.rcpt_tos)
        # LMTP answers once per recipient, so one failure is retried for that one only.
        answers = [await _store(raw, sender, [rcpt]) for rcpt in envelope.rcpt_tos]
        return "\r\n".join(answers)


async def _store(raw: bytes, sender: str, recipients: Sequence[str]) -> str:
    try:
        await asyncio.to_thread(_in_thread, store, raw, sender, recipients)
    except Exception:
        # Nothing was stored: a temporary failure makes the sending server retry.
        log.exception("could not store a message from %s", sender or "<>")
        return TEMPORARY
    return STORED


def store(raw: bytes, sender: str, recipients: Sequence[str]) -> int:
    """Commit the message, then queue its processing. Returns the stored row's id."""
    received = inbound.receive(
        raw,
        source=Source.SMTP,
        mailbox=inbound.mailbox_for_recipient(recipients[0]) if recipients else None,
        envelope_sender=sender,
        envelope_recipients=list(recipients),
        process=False,
    )
    if received.inbound.state == InboundState.PENDING:
        _queue_processing(received.inbound.pk)
    return received.inbound.pk


def _queue_processing(inbound_id: int) -> None:
    from everydesk.mail.tasks import process_inbound

    try:
        process_inbound(inbound_id)
    except Exception:
        # The message is stored and stays pending: the recovery sweep processes it.
        log.exception("could not queue processing of inbound email %s", inbound_id)


def _is_ours(address: str) -> bool:
    return inbound.mailbox_for_recipient(address) is not None


def _in_thread(function: Any, *args: Any) -> Any:
    """Run ORM work in a worker thread with a fresh connection, closed afterwards.

    Closing costs a reconnect per message but leaves no connection behind in
    threads the event loop's pool may keep or drop at will.
    """
    close_old_connections()
    try:
        return function(*args)
    finally:
        connection.close()


class _Server(SMTP):
    line_length_limit = LINE_LIMIT


class _LmtpServer(LMTP):
    line_length_limit = LINE_LIMIT


class Listener(Controller):
    """The listener in a background thread: `start()`, then `stop()`."""

    def __init__(
        self,
        *,
        host: str | None = None,
        port: int | None = None,
        lmtp: bool = False,
        max_bytes: int | None = None,
    ) -> None:
        self.lmtp = lmtp
        self.max_bytes = max_bytes or settings.EMAIL_MAX_BYTES
        super().__init__(
            Handler(lmtp=lmtp),
            hostname=host or settings.SMTPD_HOST,
            port=port or settings.SMTPD_PORT,
        )

    def factory(self) -> SMTP:
        server_class = _LmtpServer if self.lmtp else _Server
        return server_class(
            self.handler,
            data_size_limit=self.max_bytes,
            enable_SMTPUTF8=True,
            decode_data=False,
            ident="everydesk",
        )


def serve_forever(listener: Listener, stop: threading.Event) -> None:
    """Run until `stop` is set (by a signal handler in the command)."""
    listener.start()
    try:
        while not stop.wait(1):
            pass
    finally:
        listener.stop()
