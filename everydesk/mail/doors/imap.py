"""IMAP polling: `everydesk fetchmail`.

Where a mailbox resumes is its UID state: every UID above `imap_last_uid` in
the folder's current UIDVALIDITY is new, so after an outage of any length one
poll fetches everything since the last stored message, in batches, with no cap.

For each message, in this order: store it (committed), then mark it \\Seen or
move it on the server, then advance `imap_last_uid`. A crash between any two
steps repeats at most the last one, and a repeated store is recognised as a
duplicate. A message the server will not hand over is stored as a placeholder
in quarantine and left untouched on the server, so nothing goes missing silently.

"History" is mail that was in the folder before we started watching it: a
history import, or old mail seen again after the server renumbered the
folder. It is stored like any other but never acknowledged.
"""

import contextlib
import ipaddress
import logging
import os
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, TypeGuard

from django.db import DatabaseError, connection
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from everydesk.mail import inbound
from everydesk.mail.models import Mailbox, Source, StartFrom

log = logging.getLogger(__name__)

BATCH_SIZE = 50  # UIDs per FETCH command: keeps each command line short
BATCH_BYTES = 20 * 1024 * 1024  # bodies held in memory at once (a bigger one comes alone)
PARALLEL = 8  # mailboxes polled at the same time
TIMEOUT = 60  # seconds for any one network operation
MAX_RECONNECTS = 30  # per poll: a server that drops us over bad messages, or a bad network
BODY = ["BODY.PEEK[]", "INTERNALDATE"]  # PEEK: fetching must not mark it read
# Server and poller clocks differ; only mail older than the last complete poll by
# more than this counts as history after a renumbering.
CLOCK_MARGIN = timedelta(hours=1)


class PollProblem(Exception):
    """The mailbox cannot be polled as configured (missing password, bad folder...)."""


@dataclass
class PollResult:
    mailbox: str
    stored: int = 0  # new messages stored
    duplicates: int = 0  # fetched again, already stored (after a crash or renumbering)
    problems: list[str] = field(default_factory=list)  # per message, polling went on
    error: str = ""  # what stopped this poll; it resumes from the same place next time

    @property
    def ok(self) -> bool:
        return not self.error


# Changing any of these points the mailbox at other mail: its position is forgotten.
SOURCE_FIELDS = ("imap_host", "imap_port", "imap_username", "imap_folder", "imap_start_from")
POSITION_FIELDS = ["imap_uidvalidity", "imap_last_uid", "imap_last_poll_at", "imap_last_error"]


def forget_position(mailbox: Mailbox) -> list[str]:
    """Start again as a new mailbox would (from now, or with history). Returns the fields."""
    mailbox.imap_uidvalidity, mailbox.imap_last_uid = None, 0
    mailbox.imap_last_poll_at, mailbox.imap_last_error = None, ""
    return POSITION_FIELDS


def poll_all(*, batch_size: int = BATCH_SIZE) -> list[PollResult]:
    """Poll every active mailbox with IMAP settings, several at once."""
    ids = list(
        Mailbox.objects.filter(active=True)
        .exclude(imap_host="")
        .exclude(imap_username="")
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    workers = min(PARALLEL, len(ids))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetchmail") as pool:
        return list(pool.map(lambda pk: _poll_in_thread(pk, batch_size), ids))


def _poll_in_thread(mailbox_id: int, batch_size: int) -> PollResult:
    # Each thread has its own database connection; it must not outlive the poll.
    try:
        return poll(Mailbox.objects.get(pk=mailbox_id), batch_size=batch_size)
    except DatabaseError as error:
        log.exception("fetchmail: database failure while polling mailbox %s", mailbox_id)
        return PollResult(str(mailbox_id), error=f"Database failure: {error}")
    finally:
        connection.close()


def poll(mailbox: Mailbox, *, batch_size: int = BATCH_SIZE) -> PollResult:
    """Fetch and store everything new in one mailbox. Database failures propagate."""
    result = PollResult(mailbox.address)
    run = _Poll(mailbox, result, batch_size)
    try:
        run.run()
    except (PollProblem, IMAPClientError, OSError) as error:
        # IMAPClientError covers protocol errors and dropped connections; OSError
        # covers refused connections, timeouts and TLS failures.
        result.error = _describe(error)
        log.warning("fetchmail %s: %s", mailbox.address, result.error)
    except DatabaseError:
        raise
    except Exception as error:
        # A bug here must not stop the other mailboxes, nor the next poll.
        log.exception("fetchmail %s failed", mailbox.address)
        result.error = _describe(error)
    finally:
        run.close()
    _record(mailbox, result)
    return result


def _record(mailbox: Mailbox, result: PollResult) -> None:
    mailbox.imap_last_error = "\n".join(filter(None, [result.error, *result.problems]))[:5000]
    fields = ["imap_last_error"]
    if result.ok:
        # The time of the last poll that saw the whole folder: history is older than it.
        mailbox.imap_last_poll_at = timezone.now()
        fields.append("imap_last_poll_at")
    mailbox.save(update_fields=fields)


def _connect(mailbox: Mailbox) -> IMAPClient:
    password = _password(mailbox)
    imap = IMAPClient(
        mailbox.imap_host, port=mailbox.imap_port, ssl=mailbox.imap_ssl, timeout=TIMEOUT
    )
    imap.normalise_times = False  # INTERNALDATE with its timezone, comparable to ours
    try:
        if not mailbox.imap_ssl:
            _secure_plain_connection(imap, mailbox.imap_host)
        imap.login(mailbox.imap_username, password)
    except BaseException:
        _disconnect(imap)
        raise
    return imap


def _secure_plain_connection(imap: IMAPClient, host: str) -> None:
    """Upgrade with STARTTLS when offered; without it, send a password only on loopback."""
    if b"STARTTLS" in imap.capabilities():
        imap.starttls(ssl.create_default_context())
    elif not is_loopback(host):
        raise PollProblem(
            f"{host} offers neither TLS on connect nor STARTTLS, so the password would "
            "cross the network in clear. Turn on 'IMAP over TLS' (usually port 993)."
        )


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _disconnect(imap: IMAPClient | None) -> None:
    if imap is None:
        return
    try:
        imap.logout()
    except (IMAPClientError, OSError):
        with contextlib.suppress(OSError):
            imap.shutdown()


def _password(mailbox: Mailbox) -> str:
    name = mailbox.imap_password_env.strip()
    if not name:
        raise PollProblem("No IMAP password variable is set for this mailbox.")
    password = os.environ.get(name)
    if password is None:
        raise PollProblem(f"The environment variable {name} (the IMAP password) is not set.")
    return password


def _describe(error: Exception) -> str:
    # imaplib carries the server's answer as bytes.
    first = error.args[0] if error.args else ""
    text = first.decode(errors="replace") if isinstance(first, bytes) else str(error)
    return f"{type(error).__name__}: {text}"[:1000]


class _Poll:
    """One poll of one mailbox, reconnecting when the server drops us over one message."""

    def __init__(self, mailbox: Mailbox, result: PollResult, batch_size: int) -> None:
        self.mailbox = mailbox
        self.result = result
        self.batch_size = max(1, batch_size)
        self.importing_history = (
            mailbox.imap_start_from == StartFrom.HISTORY and mailbox.imap_last_poll_at is None
        )
        self.imap: IMAPClient | None = None
        self.uidvalidity = 0
        self.reconnects = 0

    @property
    def client(self) -> IMAPClient:
        assert self.imap is not None
        return self.imap

    def close(self) -> None:
        _disconnect(self.imap)
        self.imap = None

    def run(self) -> None:
        mailbox = self.mailbox
        self.imap = _connect(mailbox)
        selected = self.client.select_folder(mailbox.imap_folder)
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        if mailbox.imap_uidvalidity is None and not self.importing_history:
            self._start_from_now(selected)
            return
        if mailbox.imap_uidvalidity != self.uidvalidity:
            # First poll of a history import, or the server renumbered the folder
            # (restored, migrated): start over. What we stored is recognised again.
            mailbox.imap_uidvalidity, mailbox.imap_last_uid = self.uidvalidity, 0
            mailbox.save(update_fields=["imap_uidvalidity", "imap_last_uid"])
        if mailbox.imap_move_to and not self.client.folder_exists(mailbox.imap_move_to):
            self.client.create_folder(mailbox.imap_move_to)
        last = mailbox.imap_last_uid
        # "N:*" always matches the highest UID, even when it is below N.
        uids = sorted(uid for uid in self.client.search(["UID", f"{last + 1}:*"]) if uid > last)
        for start in range(0, len(uids), self.batch_size):
            self._batch(uids[start : start + self.batch_size])

    def _start_from_now(self, selected: dict[bytes, Any]) -> None:
        """First poll of a mailbox that starts from now: remember where now is."""
        highest = int(selected.get(b"UIDNEXT", 1)) - 1
        if highest < 1 and int(selected.get(b"EXISTS", 0)):
            highest = max(self.client.search(["ALL"]), default=0)
        self.mailbox.imap_uidvalidity, self.mailbox.imap_last_uid = self.uidvalidity, highest
        self.mailbox.save(update_fields=["imap_uidvalidity", "imap_last_uid"])

    def _reconnect(self) -> None:
        self.reconnects += 1
        if self.reconnects > MAX_RECONNECTS:
            raise PollProblem(
                f"The server dropped the connection {MAX_RECONNECTS} times in one poll; "
                "the next poll goes on from here."
            )
        self.close()
        self.imap = _connect(self.mailbox)
        selected = self.client.select_folder(self.mailbox.imap_folder)
        if int(selected[b"UIDVALIDITY"]) != self.uidvalidity:
            raise PollProblem(
                "The folder was renumbered during the poll; the next poll starts over."
            )

    def _try_fetch(self, uids: list[int], items: list[str]) -> dict[int, Any] | None:
        """The server's answer, or None when it refused or dropped the connection."""
        try:
            return dict(self.client.fetch(uids, items))
        except IMAPClientAbortError:
            self._reconnect()
        except IMAPClientError:
            pass
        return None

    def _batch(self, uids: list[int]) -> None:
        meta = self._try_fetch(uids, ["RFC822.SIZE"]) or {}
        group: list[int] = []
        group_bytes = 0
        for uid in uids:
            size = int(meta.get(uid, {}).get(b"RFC822.SIZE", BATCH_BYTES))
            if group and group_bytes + size > BATCH_BYTES:
                self._bodies(group)
                group, group_bytes = [], 0
            group.append(uid)
            group_bytes += size
        if group:
            self._bodies(group)

    def _bodies(self, uids: list[int]) -> None:
        fetched = self._try_fetch(uids, BODY) if len(uids) > 1 else None
        for uid in uids:
            data = (fetched or {}).get(uid)
            if _has_body(data):
                self._store(uid, data)
            else:
                self._one(uid)  # the group failed, or this one is missing from the answer

    def _one(self, uid: int) -> None:
        """Fetch one message on its own; twice if the server drops the connection over it."""
        why = ""
        for _ in range(2):
            try:
                data = self.client.fetch([uid], BODY).get(uid)
            except IMAPClientAbortError as error:
                why = _describe(error)
                self._reconnect()
                continue
            except IMAPClientError as error:
                why = _describe(error)
                break
            if _has_body(data):
                self._store(uid, data)
                return
            if not self._still_there(uid):
                return  # another mail client deleted it meanwhile: nothing left to keep
            why = "the server returned no content for it"
            break
        self._unfetchable(uid, why)

    def _store(self, uid: int, data: dict[bytes, Any]) -> None:
        received = inbound.receive(
            bytes(data[b"BODY[]"]),
            source=Source.IMAP,
            mailbox=self.mailbox,
            envelope_recipients=[self.mailbox.address],
            history=self._is_history(data.get(b"INTERNALDATE")),
        )
        if received.created:
            self.result.stored += 1
        else:
            self.result.duplicates += 1
        self._acknowledge(uid)
        self._advance(uid)

    def _is_history(self, arrived: datetime | None) -> bool:
        if self.importing_history:
            return True
        seen_until = self.mailbox.imap_last_poll_at
        return bool(arrived and seen_until and arrived < seen_until - CLOCK_MARGIN)

    def _acknowledge(self, uid: int) -> None:
        """Only now that it is stored: mark it read, or move it out of the way."""
        imap, target = self.client, self.mailbox.imap_move_to
        try:
            if not target:
                imap.add_flags([uid], [b"\\Seen"], silent=True)
            elif imap.has_capability("MOVE"):
                imap.move([uid], target)
            else:
                imap.copy([uid], target)
                imap.add_flags([uid], [b"\\Seen", b"\\Deleted"], silent=True)
                if imap.has_capability("UIDPLUS"):
                    imap.uid_expunge([uid])
                else:
                    imap.expunge()
        except IMAPClientAbortError:
            raise
        except IMAPClientError as error:
            # Stored, so nothing is lost; it stays where it is on the server.
            action = f"moved to {target}" if target else "marked as read"
            self.result.problems.append(f"UID {uid} was stored but not {action}: {error}")

    def _advance(self, uid: int) -> None:
        self.mailbox.imap_last_uid = uid
        self.mailbox.save(update_fields=["imap_last_uid"])

    def _still_there(self, uid: int) -> bool:
        return uid in self.client.search(["UID", str(uid)])

    def _unfetchable(self, uid: int, why: str) -> None:
        """Keep a record in quarantine; the message itself stays untouched on the server."""
        reason = (
            f"IMAP message UID {uid} in {self.mailbox.imap_folder} could not be fetched "
            f"({why}). It was left unread on the server; look at it there."
        )
        raw = _placeholder(self.mailbox, self.uidvalidity, uid, reason, self._headers(uid))
        received = inbound.receive(
            raw, source=Source.IMAP, mailbox=self.mailbox, history=True, process=False
        )
        # The core's quarantine (a private helper until it has a public name).
        inbound.quarantine(received.inbound.pk, reason)
        self.result.problems.append(reason)
        self._advance(uid)

    def _headers(self, uid: int) -> bytes:
        """Whatever of the header the server still gives, for the admin to see."""
        data = self._try_fetch([uid], ["BODY.PEEK[HEADER]"]) or {}
        return bytes(data.get(uid, {}).get(b"BODY[HEADER]", b""))


def _has_body(data: dict[bytes, Any] | None) -> TypeGuard[dict[bytes, Any]]:
    return data is not None and isinstance(data.get(b"BODY[]"), bytes)


def _placeholder(
    mailbox: Mailbox, uidvalidity: int, uid: int, reason: str, headers: bytes
) -> bytes:
    """A stand-in message for one we could not fetch, under an id unique to that UID."""
    message = EmailMessage()
    message["From"] = mailbox.address  # our own address: a retry is ignored, never answered
    message["To"] = mailbox.address
    message["Subject"] = f"Unfetchable IMAP message (UID {uid})"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = f"<imap.{mailbox.pk}.{uidvalidity}.{uid}@everydesk.invalid>"
    message.set_content(reason + "\n")
    if headers:
        message.add_attachment(
            headers, maintype="text", subtype="rfc822-headers", filename="headers.txt"
        )
    return message.as_bytes()
