"""One raw message in, a ParsedEmail out: never an exception other than UnreadableEmail.

The stdlib parser (modern policy) gives the MIME structure; every header and every part is then
read inside its own guard, so one broken piece is noted in `defects` and the rest still comes
through. Headers are decoded from their raw form by header_values (see there for why).
"""

import functools
import io
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import policy
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from everydesk.mail import bounces
from everydesk.mail.automail import auto_reason
from everydesk.mail.charsets import decode_bytes
from everydesk.mail.header_values import addresses, header_text, message_id, message_ids
from everydesk.mail.html_text import html_to_text
from everydesk.mail.parsed import Bounce, ParsedAttachment, ParsedEmail, UnreadableEmail

__all__ = ["UnreadableEmail", "parse"]

T = TypeVar("T")

MAX_DEPTH = 40  # MIME nesting; real mail stays under ten
MAX_PARTS = 1_000  # beyond this, parts stay in the raw message that ingestion keeps
MAX_TEXT = 1_000_000  # characters kept in .text; the full body goes along as an attachment
MAX_HTML = 2_000_000
MAX_SUBJECT = 1_000
MAX_DEFECTS = 50
_MAIL_HEADERS = {
    "from", "to", "cc", "subject", "date", "message-id", "received", "content-type",
    "mime-version", "sender", "reply-to", "return-path", "delivered-to", "in-reply-to",
    "references", "x-mailer", "user-agent", "content-transfer-encoding", "dkim-signature",
}  # fmt: skip
_BODY_TYPES = {"text/plain", "text/html"}
_REPORT_TYPES = {"message/delivery-status", "message/global-delivery-status"}
_HEADER_TYPES = {"text/rfc822-headers", "message/rfc822-headers", "message/global-headers"}
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset=[\"']?([A-Za-z0-9_.:-]{1,40})", re.I)
_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@functools.lru_cache(maxsize=4096)
def _parsed_mime_header(name: str, value: str) -> Any:
    return policy.default.header_fetch_parse(name, value)


class _MimeHeaderCache(EmailPolicy):
    """The modern default policy, remembering parsed Content-* headers.

    The parser and Message ask for a part's Content-Type again and again (boundary, maintype,
    charset, filename), and the modern policy parses the header anew each time: half of all
    parsing time. Parsed headers are immutable, and the same few values recur across messages.
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if len(value) <= 500 and name.lower().startswith("content-"):
            return _parsed_mime_header(name, value)
        return super().header_fetch_parse(name, value)


_PARSER = BytesParser(policy=_MimeHeaderCache())
# Forwarded messages go out as they came: no refolding of their headers.
_AS_SENT = policy.default.clone(refold_source="none", max_line_length=0)


def parse(raw: bytes) -> ParsedEmail:
    """Read one message. Raises UnreadableEmail (with a reason) only when nothing is usable."""
    data = _raw_bytes(raw)
    reader = _Reader()
    message = reader.load(data)
    return reader.result(message)


def _raw_bytes(raw: object) -> bytes:
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogateescape")
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise UnreadableEmail(f"not bytes but {type(raw).__name__}")
    data = bytes(raw).lstrip(b"\r\n\t ")
    if not data:
        raise UnreadableEmail("empty message")
    return data


@dataclass
class _Reader:
    defects: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    status_blocks: list[dict[str, str]] = field(default_factory=list)
    original_ids: list[str] = field(default_factory=list)
    report_seen: bool = False
    parts_seen: int = 0

    def note(self, defect: str) -> None:
        if defect not in self.defects and len(self.defects) < MAX_DEFECTS:
            self.defects.append(defect[:300])

    # --- structure ---------------------------------------------------------------------

    def load(self, data: bytes) -> Message:
        try:
            return _PARSER.parsebytes(data)
        except Exception as error:  # RecursionError on absurd nesting, and parser bugs
            self.note(f"MIME structure unreadable ({type(error).__name__}): body kept as text")
        try:
            return _PARSER.parsebytes(data, headersonly=True)
        except Exception as error:
            raise UnreadableEmail(f"not a mail message: {type(error).__name__}") from error

    def result(self, message: Message) -> ParsedEmail:
        headers = _RawHeaders(message, self)
        if not headers.first:
            raise UnreadableEmail("not a mail message: no headers")
        if not _MAIL_HEADERS.intersection(headers.first):
            raise UnreadableEmail("not a mail message: no mail headers")
        self._collect_defects(message)
        self.walk(message, depth=0)
        sender_name, sender = headers.sender()
        subject = headers.subject()
        text, html = self._bodies()
        if not sender and not text.strip() and not html.strip() and not self.attachments:
            raise UnreadableEmail("no sender and no body")
        bounce = self._bounce(sender, sender_name, subject, text)
        reply_to = headers.addresses("reply-to")
        return ParsedEmail(
            header_id=headers.message_id(),
            subject=subject,
            from_address=sender,
            from_name=sender_name,
            reply_to_address=reply_to[0][1] if reply_to else "",
            to=[address for _, address in headers.addresses("to")],
            cc=[address for _, address in headers.addresses("cc")],
            in_reply_to=headers.ids("in-reply-to"),
            references=headers.ids("references"),
            date=headers.date(),
            text=text,
            html=html,
            attachments=self._mark_inline(html),
            auto=self._auto(headers.first, subject, bounce, sender, sender_name),
            bounce=bounce,
            defects=self.defects,
        )

    def _collect_defects(self, message: Message) -> None:
        try:
            for part in message.walk():
                for defect in getattr(part, "defects", ()):
                    self.note(type(defect).__name__)
        except Exception as error:  # walk() on a broken tree
            self.note(f"walk failed: {type(error).__name__}")

    def walk(self, part: Message, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.note(f"MIME nesting deeper than {MAX_DEPTH}: inner parts skipped")
            return
        self.parts_seen += 1
        if self.parts_seen > MAX_PARTS:
            self.note(f"more than {MAX_PARTS} MIME parts: the rest skipped")
            return
        try:
            self._read_part(part, depth)
        except Exception as error:  # one broken part must not cost the others
            self.note(f"part unreadable ({type(error).__name__}: {str(error)[:100]})")

    def _read_part(self, part: Message, depth: int) -> None:
        kind = _content_type(part, self)
        payload = part.get_payload()
        if kind in _REPORT_TYPES:
            self.report_seen = True
            self.status_blocks.extend(bounces.status_blocks(part))
        elif kind.startswith("message/") and isinstance(payload, list):
            self._attach_message(part, payload)
        elif isinstance(payload, list):
            if kind == "multipart/report":
                self.report_seen = True
            for child in payload:
                if isinstance(child, Message):
                    self.walk(child, depth + 1)
        elif kind in _HEADER_TYPES:
            self._read_original_headers(part)
        else:
            self._read_leaf(part, kind)

    # --- leaves --------------------------------------------------------------------------

    def _read_leaf(self, part: Message, kind: str) -> None:
        disposition = _guard(part.get_content_disposition, None, self, "Content-Disposition")
        filename = _filename(part, self)
        data = _payload_bytes(part, self)
        if kind.startswith("multipart/"):
            self.note(f"{kind} without readable parts: read as text")
            kind = "text/plain"
        if kind in _BODY_TYPES and disposition != "attachment" and not filename:
            self._add_body(part, kind, data)
        elif data or filename:
            self._add_attachment(part, kind, data, filename)

    def _add_body(self, part: Message, kind: str, data: bytes) -> None:
        charset = _guard(part.get_content_charset, None, self, "charset")
        if kind == "text/html" and not charset:
            sniffed = _META_CHARSET.search(data[:4096])
            charset = sniffed.group(1).decode("ascii") if sniffed else None
        text, note = decode_bytes(data, charset)
        if note:
            self.note(note)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        (self.htmls if kind == "text/html" else self.texts).append(text)

    def _add_attachment(self, part: Message, kind: str, data: bytes, filename: str) -> None:
        content_id = message_id(_raw_header(part, "content-id"))
        name = filename or _default_name(kind, len(self.attachments) + 1)
        self.attachments.append(ParsedAttachment(name, kind, data, content_id=content_id))

    def _attach_message(self, part: Message, payload: list[Message | str]) -> None:
        inner = payload[0] if payload else None
        if not isinstance(inner, Message):
            return
        original = message_id(_raw_header(inner, "message-id"))
        if original:
            self.original_ids.append(original)
        subject = header_text(_raw_header(inner, "subject"))[0]
        name = _filename(part, self) or _safe_filename(subject or "forwarded message")
        if not name.lower().endswith(".eml"):
            name += ".eml"
        self.attachments.append(ParsedAttachment(name, "message/rfc822", _as_sent(inner, self)))

    def _read_original_headers(self, part: Message) -> None:
        data = _payload_bytes(part, self)
        original = message_id(_raw_header(_PARSER.parsebytes(data, headersonly=True), "message-id"))
        if original:
            self.original_ids.append(original)
        self._add_attachment(part, "text/rfc822-headers", data, "original-headers.txt")

    # --- assembling ----------------------------------------------------------------------

    def _bodies(self) -> tuple[str, str]:
        html = "\n".join(h for h in self.htmls if h.strip())
        text = "\n\n".join(t.strip("\r\n") for t in self.texts if t.strip())
        if len(html) > MAX_HTML:
            self.note(f"HTML body of {len(html)} characters: kept as message.html only")
            self.attachments.append(
                ParsedAttachment("message.html", "text/html", html.encode("utf-8", "replace"))
            )
            text = text or html_to_text(html)
            html = ""
        if not text and html:
            text = html_to_text(html)
        if len(text) > MAX_TEXT:
            self.note(f"text body of {len(text)} characters: cut, full text in message.txt")
            self.attachments.append(
                ParsedAttachment("message.txt", "text/plain", text.encode("utf-8", "replace"))
            )
            text = text[:MAX_TEXT]
        return text, html

    def _mark_inline(self, html: str) -> list[ParsedAttachment]:
        # Inline means "shown inside the HTML": a Content-ID nobody references is an attachment
        # (Apple Mail gives every part one), and hiding it would lose it.
        return [
            replace(a, inline=True)
            if a.content_id and f"cid:{a.content_id}".lower() in html.lower()
            else a
            for a in self.attachments
        ]

    def _auto(
        self,
        headers: dict[str, str],
        subject: str,
        bounce: Bounce | None,
        sender: str,
        sender_name: str,
    ) -> str:
        if bounce:
            return "bounce"
        reason = auto_reason(headers, subject)
        # Delay notices and other reports, or anything a mail daemon writes, are never a person.
        if not reason and (self.report_seen or bounces.is_daemon(sender, sender_name)):
            return "auto-generated"
        return reason

    def _bounce(self, sender: str, sender_name: str, subject: str, text: str) -> Bounce | None:
        original = self.original_ids[0] if self.original_ids else ""
        try:
            if self.status_blocks:
                return bounces.from_report(self.status_blocks, original)
            if bounces.looks_like_daemon(sender, sender_name, subject):
                return bounces.from_prose(text, sender, original)
        except Exception as error:
            self.note(f"bounce report unreadable ({type(error).__name__})")
        return None


class _RawHeaders:
    """The top-level headers as the parser stored them, read one by one under guard."""

    def __init__(self, message: Message, reader: _Reader) -> None:
        self.reader = reader
        self.all: dict[str, list[str]] = {}
        try:
            items = list(message.raw_items())
        except Exception as error:
            reader.note(f"headers unreadable ({type(error).__name__})")
            items = []
        for name, value in items:
            self.all.setdefault(str(name).strip().lower(), []).append(str(value))
        self.first = {name: values[0] for name, values in self.all.items()}

    def text(self, name: str) -> str:
        value = self.first.get(name)
        if value is None:
            return ""
        text, note = header_text(value)
        if note:
            self.reader.note(f"{name}: {note}")
        return text

    def subject(self) -> str:
        return " ".join(self.text("subject").split())[:MAX_SUBJECT]

    def message_id(self) -> str:
        values = self.all.get("message-id", [])
        if len(values) > 1:
            self.reader.note(f"{len(values)} Message-ID headers: the first is used")
        return message_id(values[0]) if values else ""

    def ids(self, name: str) -> list[str]:
        return message_ids(" ".join(self.all.get(name, [])))

    def addresses(self, name: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for value in self.all.get(name, []):
            found.extend(addresses(value))
        return found

    def sender(self) -> tuple[str, str]:
        for name in ("from", "sender"):
            found = self.addresses(name)
            if found:
                if name != "from":
                    self.reader.note("no readable From: Sender used")
                return found[0]
        if "from" in self.first:
            self.reader.note("From header has no readable address")
        return "", ""

    def date(self) -> datetime | None:
        value = self.text("date")
        if not value:
            return None
        try:
            parsed = parsedate_to_datetime(value)
        except Exception:  # ValueError, TypeError, OverflowError, IndexError depending on junk
            self.reader.note("Date header unreadable")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _guard(read: Callable[[], T], default: T, reader: _Reader, what: str) -> T:
    try:
        return read()
    except Exception as error:
        reader.note(f"{what} unreadable ({type(error).__name__})")
        return default


def _raw_header(part: Message, name: str) -> str:
    """The first value of a header as stored, unparsed: the modern policy may raise on junk."""
    for found, value in part.raw_items():
        if found.lower() == name:
            return str(value)
    return ""


def _content_type(part: Message, reader: _Reader) -> str:
    return _guard(part.get_content_type, "application/octet-stream", reader, "Content-Type")


def _payload_bytes(part: Message, reader: _Reader) -> bytes:
    """The decoded payload; when the transfer encoding is broken, the bytes as they came."""
    try:
        data = part.get_payload(decode=True)
    except Exception as error:
        reader.note(f"transfer encoding unreadable ({type(error).__name__}): kept raw")
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", errors="surrogateescape")
    return b""


def _filename(part: Message, reader: _Reader) -> str:
    name = _guard(part.get_filename, None, reader, "filename")
    return _safe_filename(header_text(str(name))[0]) if name else ""


def _safe_filename(name: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME.sub("", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if dot and len(extension) <= 16 and len(name) > 200:
        return stem[: 199 - len(extension)] + "." + extension
    return name[:200]


def _default_name(kind: str, number: int) -> str:
    if kind == "text/calendar":
        return "invite.ics" if number == 1 else f"invite-{number}.ics"
    extension = mimetypes.guess_extension(kind, strict=False) or ".bin"
    return f"attachment-{number}{extension}"


def _as_sent(message: Message, reader: _Reader) -> bytes:
    for serialise_policy in (_AS_SENT, policy.compat32):
        buffer = io.BytesIO()
        try:
            BytesGenerator(buffer, mangle_from_=False, policy=serialise_policy).flatten(message)
        except Exception as error:
            reader.note(f"forwarded message not re-serialisable ({type(error).__name__})")
            continue
        return buffer.getvalue()
    return b""
