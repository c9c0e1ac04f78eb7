"""Turning mail bytes into text when the declared charset is wrong, unknown or missing.

Order: the declared charset, then UTF-8, then UTF-8 with each undecodable byte read as
cp1252 (Latin-1 for the five bytes cp1252 leaves undefined). The last step cannot fail and
keeps text that mixes UTF-8 with Windows-1252 readable, which is what broken mailers send.
"""

import codecs

# Names seen in real mail that Python does not know, or knows as a narrower charset.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
    "ansi_x3.4-1968": "ascii",
}
# Declarations that say "no idea": treated as if nothing was declared.
_MEANINGLESS = {"", "unknown-8bit", "x-unknown", "unknown", "default", "8bit", "binary", "none"}
# Single-byte charsets decode any bytes "successfully"; valid multi-byte UTF-8 under such a
# label is almost always UTF-8 mislabelled (accidental validity is vanishingly rare).
_SINGLE_BYTE_PREFIXES = ("ascii", "iso8859", "latin", "cp", "koi8", "mac")
# Charsets whose bytes are all ASCII yet mean something else (ISO-2022-JP is common in Japan).
_SEVEN_BIT = ("iso2022", "utf-7", "hz", "utf-16", "utf-32")
_MULTI_BYTE_CP = {"cp932", "cp936", "cp949", "cp950", "cp1361"}


def _fallback_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_CP1252_BYTES[byte] for byte in bad), error.end


def _cp1252_or_latin1(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252_BYTES = [_cp1252_or_latin1(byte) for byte in range(256)]


codecs.register_error("everydesk-cp1252", _fallback_cp1252)


def normalise_charset(declared: str | None) -> str:
    """A Python codec name for the declared charset, or "" when it means nothing usable."""
    name = (declared or "").strip().strip("\"'").lower()
    if name in _MEANINGLESS:
        return ""
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return ""
    # Only real text codecs: "base64", "zlib", "rot13" and friends are not charsets.
    if not getattr(info, "_is_text_encoding", True):
        return ""
    # As browsers do: mail labelled Latin-1 is often Windows-1252 (curly quotes, euro).
    return "cp1252" if info.name == "iso8859-1" else info.name


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode mail bytes; returns the text and a note when a fallback was needed ("" if not)."""
    charset = normalise_charset(declared)
    if data.isascii() and not charset.startswith(_SEVEN_BIT):
        return data.decode("ascii"), ""
    if charset and not _prefer_utf8(data, charset):
        try:
            return data.decode(charset), ""
        except (UnicodeDecodeError, LookupError, ValueError, TypeError):
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="everydesk-cp1252")
        return text, f"charset {declared or 'undeclared'} did not fit: read as utf-8/cp1252"
    if declared and charset not in ("utf-8", "ascii"):
        return text, f"charset {declared} did not fit: read as utf-8"
    return text, ""


def _prefer_utf8(data: bytes, charset: str) -> bool:
    if charset in ("utf-8", "ascii"):
        return True
    if not charset.startswith(_SINGLE_BYTE_PREFIXES) or charset in _MULTI_BYTE_CP:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
