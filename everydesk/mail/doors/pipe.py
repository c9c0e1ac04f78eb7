"""One message on standard input, from a mail server's pipe transport: `everydesk ingest-email`.

The exit status is the answer to the mail server, in sendmail's conventions
(sysexits.h): it bounces on a permanent error, queues and retries on
EX_TEMPFAIL, and forgets the message on 0. So 0 means committed (quarantined
mail included: it is ours now), and anything that could not be stored is a
temporary failure, never a bounce.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from everydesk.mail import inbound
from everydesk.mail.models import Mailbox, Source

EX_OK = 0
EX_USAGE = 64  # wrong arguments: the mail server's configuration needs fixing
EX_DATAERR = 65  # nothing that could be a message arrived
EX_NOUSER = 67  # the named mailbox does not exist (here)
EX_TEMPFAIL = 75  # not stored: the mail server keeps it and tries again


class PipeError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Ingested:
    inbound_id: int
    created: bool
    state: str


def ingest(
    raw: bytes,
    *,
    mailbox_address: str = "",
    sender: str = "",
    recipients: Sequence[str] = (),
) -> Ingested:
    """Store and process one message. Raises PipeError with the exit status to use."""
    if not raw.strip():
        raise PipeError("No message on standard input.", EX_DATAERR)
    mailbox = _mailbox(mailbox_address) if mailbox_address else None
    received = inbound.receive(
        raw,
        source=Source.PIPE,
        mailbox=mailbox,
        envelope_sender=sender,
        envelope_recipients=list(recipients),
    )
    return Ingested(received.inbound.pk, received.created, received.inbound.state)


def _mailbox(address: str) -> Mailbox:
    mailbox = inbound.mailbox_for_recipient(address.strip().lower())
    if mailbox is None:
        raise PipeError(f"No active mailbox has the address {address}.", EX_NOUSER)
    return mailbox
