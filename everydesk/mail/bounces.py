"""Reading delivery failures: RFC 3464 reports exactly, MAILER-DAEMON prose best effort.

A report names each recipient in a block of fields (Final-Recipient, Action, Status,
Diagnostic-Code). Only "Action: failed" is a bounce: delayed and delivered notices are news,
not failures. Older servers (qmail, Exim defaults, some appliances) write the failure as prose
with the original headers pasted below; there we pick out addresses, the status code and the
original Message-ID as well as the text allows.
"""

import re
from collections.abc import Iterable, Mapping
from email.message import Message

from everydesk.mail.header_values import header_text, message_id
from everydesk.mail.parsed import Bounce

_DAEMONS = ("mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "mail-daemon")
_BOUNCE_SUBJECTS = (
    "undeliverable",
    "undelivered mail",
    "delivery status notification (failure)",
    "delivery failure",
    "delivery has failed",
    "mail delivery failed",
    "mail delivery failure",
    "failure notice",
    "returned mail",
    "returned to sender",
    "unzustellbar",
    "nicht zustellbar",
    "non remis",
    "non distribuable",
    "no se puede entregar",
    "onbestelbaar",
)
_STATUS = re.compile(r"\b([45]\.\d{1,3}\.\d{1,3})\b")
_ANGLED_RECIPIENT = re.compile(r"^\s*<([^<>\s@]+@[^<>\s]+)>:", re.MULTILINE)
_RCPT_TO = re.compile(r"RCPT TO:\s*<([^<>\s@]+@[^<>\s]+)>", re.IGNORECASE)
_FIELD_RECIPIENT = re.compile(
    r"^(?:Final|Original)-Recipient:\s*(?:rfc822;)?\s*<?([^<>\s;@]+@[^<>\s;]+?)>?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_INDENTED_ADDRESS = re.compile(r"^[ \t]+<?([^<>\s@]+@[^<>\s]+?)>?[ \t]*$", re.MULTILINE)
_BODY_MESSAGE_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
# Lines that carry the remote server's answer, most telling first.
_DIAGNOSTICS = (
    re.compile(r"^.*\b[45]\d\d[ -][45]\.\d.*$", re.MULTILINE),  # "550 5.1.1 ..."
    re.compile(r"^.*\(#[45]\.\d+\.\d+\).*$", re.MULTILINE),  # qmail: "... (#5.1.1)"
    re.compile(r"^.*(?:said:|SMTP error|Diagnostic-Code:).*$", re.MULTILINE | re.IGNORECASE),
)
MAX_RECIPIENTS = 50


def status_blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a message/delivery-status part, names lower-cased."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [_block_fields(block.raw_items()) for block in payload if isinstance(block, Message)]
    # Some servers base64 the report, which leaves the parser with one opaque string.
    data = part.get_payload(decode=True)
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(payload)
    return [_text_fields(chunk) for chunk in re.split(r"\r?\n\s*\r?\n", text) if chunk.strip()]


def _block_fields(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): header_text(str(value))[0] for name, value in items}


def _text_fields(chunk: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    last = ""
    for line in chunk.splitlines():
        if line[:1] in (" ", "\t") and last:
            fields[last] += " " + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            last = name.strip().lower()
            fields[last] = value.strip()
    return fields


def from_report(blocks: list[dict[str, str]], original_id: str) -> Bounce | None:
    """A bounce from the report's recipient blocks, or None when nothing failed."""
    failed = [b for b in blocks if b.get("action", "").lower().startswith("failed")]
    if not failed and any("action" in b for b in blocks):
        return None
    # No Action field at all (seen from some appliances): a 5.x.x status still means failure.
    failed = failed or [b for b in blocks if b.get("status", "").startswith("5")]
    recipients = [r for r in (_recipient(b) for b in failed) if r]
    if not recipients:
        return None
    first = failed[0]
    code = _STATUS.search(first.get("status", ""))
    return Bounce(
        recipients=list(dict.fromkeys(recipients))[:MAX_RECIPIENTS],
        status=code.group(1) if code else first.get("status", "")[:32],
        diagnostic=_after_type(first.get("diagnostic-code", ""))[:1000],
        original_header_id=original_id,
    )


def _recipient(block: Mapping[str, str]) -> str:
    value = block.get("final-recipient") or block.get("original-recipient") or ""
    return _after_type(value).strip("<> ").lower()


def _after_type(value: str) -> str:
    """ "rfc822; a@b" -> "a@b": report fields carry an address or diagnostic type first."""
    kind, semicolon, rest = value.partition(";")
    return rest.strip() if semicolon and " " not in kind.strip() else value.strip()


def is_daemon(from_address: str, from_name: str) -> bool:
    """Mail systems write as MAILER-DAEMON, postmaster or "Mail Delivery System"."""
    local = from_address.partition("@")[0]
    return local.startswith(_DAEMONS) or "mail delivery" in from_name.lower()


def looks_like_daemon(from_address: str, from_name: str, subject: str) -> bool:
    """Whether a message without a report is a delivery failure written as prose."""
    by_sender = is_daemon(from_address, from_name)
    by_subject = any(phrase in subject.lower() for phrase in _BOUNCE_SUBJECTS)
    return (by_sender and (by_subject or not subject)) or (by_subject and not from_address)


def from_prose(text: str, from_address: str, original_id: str) -> Bounce:
    """Best effort: the failed addresses, status and diagnostic a daemon wrote as text."""
    recipients: list[str] = []
    for pattern in (_FIELD_RECIPIENT, _ANGLED_RECIPIENT, _RCPT_TO, _INDENTED_ADDRESS):
        recipients = [a.lower() for a in pattern.findall(text) if a.lower() != from_address]
        if recipients:
            break
    status = _STATUS.search(text)
    diagnostic = next(filter(None, (pattern.search(text) for pattern in _DIAGNOSTICS)), None)
    if not original_id:
        found = _BODY_MESSAGE_ID.search(text)
        original_id = message_id(found.group(1)) if found else ""
    return Bounce(
        recipients=list(dict.fromkeys(recipients))[:MAX_RECIPIENTS],
        status=status.group(1) if status else "",
        diagnostic=diagnostic.group(0).strip()[:1000] if diagnostic else "",
        original_header_id=original_id,
    )
