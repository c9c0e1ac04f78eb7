"""Reading header values by hand, tolerant of what real mailers send.

The modern email policy parses headers into objects, and on malformed input it either raises
or drops the value. Ingestion must never lose a message over a header, so values are taken raw
(as the parser stored them) and decoded here: raw 8-bit bytes through charsets.decode_bytes,
RFC 2047 encoded words one by one, anything undecodable kept as it was.
"""

import base64
import binascii
import quopri
import re
from email.utils import getaddresses

from everydesk.mail.charsets import decode_bytes, normalise_charset

# A header line may be megabytes long in hostile mail; nothing we keep needs more.
MAX_RAW_HEADER = 16_000
MAX_IDS = 100
MAX_ADDRESSES = 500
MAX_ID_LENGTH = 998  # the SMTP line limit: longer is not a Message-ID anybody sent

_FOLD = re.compile(r"\r?\n[ \t]*|\r[ \t]*")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(?<=\?=)[ \t]+(?==\?)")
_BRACKETED_ID = re.compile(r"<([^<>\s]{1,998})>")
_LOOSE_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def raw_to_text(value: str) -> tuple[str, str]:
    """Undo the parser's surrogate escapes: raw 8-bit header bytes become text (UTF-8 first)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        data = value.encode("utf-8", errors="surrogateescape")
        return decode_bytes(data)
    return value, ""


def unfold(value: str) -> str:
    return _FOLD.sub(" ", value)


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words; a word that cannot be decoded stays as written."""
    if "=?" not in value:
        return value
    value = _BETWEEN_WORDS.sub("", value)
    return _ENCODED_WORD.sub(_decode_word, value)


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, payload = match.group(1), match.group(2).upper(), match.group(3)
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix: utf-8*en
    try:
        if encoding == "B":
            data = base64.b64decode(payload + "=" * (-len(payload) % 4), validate=True)
        else:
            data = quopri.decodestring(payload.replace("_", " ").encode("ascii"), header=False)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return match.group(0)
    return decode_bytes(data, normalise_charset(charset) or None)[0]


def header_text(value: str) -> tuple[str, str]:
    """A header as one line of readable text, and a note if its bytes needed a fallback."""
    text, note = raw_to_text(value[:MAX_RAW_HEADER])
    text = decode_words(unfold(text))
    return _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ").strip(), note


def message_id(value: str) -> str:
    """The id in a Message-ID header without brackets; garbage comes back trimmed, not raised."""
    value = unfold(value[:MAX_RAW_HEADER])
    found = _BRACKETED_ID.search(value)
    if found:
        return found.group(1)
    parts = value.strip().strip("<>").split()
    return parts[0][:MAX_ID_LENGTH] if parts else ""


def message_ids(value: str) -> list[str]:
    """Every id in In-Reply-To or References, in order, without brackets or duplicates."""
    value = unfold(value)
    ids = _BRACKETED_ID.findall(value)
    if not ids:  # bracketless ids from broken clients: keep what looks like one
        ids = [word.strip("<>,;") for word in value.split() if "@" in word]
    unique = list(dict.fromkeys(i for i in ids if i and "<" not in i and ">" not in i))
    return unique[-MAX_IDS:]


def addresses(value: str) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs; malformed entries rescued where possible."""
    text, _ = raw_to_text(value[:MAX_RAW_HEADER])
    text = unfold(text)
    try:
        pairs = getaddresses([text])
    except Exception:  # the legacy parser has raised IndexError and friends on garbage
        pairs = []
    found = [
        (_display_name(name), address.strip().lower())
        for name, address in pairs
        if _plausible(address)
    ]
    if not found:
        found = [("", address.lower()) for address in _LOOSE_ADDRESS.findall(text)]
    unique: dict[str, str] = {}
    for name, address in found:
        unique.setdefault(address, name)
    return [(name, address) for address, name in unique.items()][:MAX_ADDRESSES]


def _display_name(name: str) -> str:
    return _CONTROL.sub("", decode_words(name)).strip().strip("\"'").strip()[:255]


def _plausible(address: str) -> bool:
    local, at, domain = address.strip().rpartition("@")
    return bool(at and local and domain) and not any(ch.isspace() for ch in address.strip())
