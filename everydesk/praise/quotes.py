"""What the wall may show of a customer's words: no contact details, not too long."""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")
URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
SPACE = re.compile(r"\s+")
MAX_QUOTE = 400


def quote(text: str) -> str:
    """Contact details out, whitespace folded, cut at a word near MAX_QUOTE characters.
    The wall's template escapes the rest: the quote is plain text, never HTML."""
    text = EMAIL.sub("[email]", text)
    text = URL.sub("[link]", text)
    text = PHONE.sub("[phone]", text)
    text = SPACE.sub(" ", text).strip()
    if len(text) <= MAX_QUOTE:
        return text
    cut = text[:MAX_QUOTE].rsplit(" ", 1)[0]
    return cut + "…"


def first_name(customer_name: str) -> str:
    """ "Carol" from "Carol Jones"; "" when the name looks like an address or is missing."""
    words = customer_name.split()
    if not words or "@" in words[0] or any(ch.isdigit() for ch in words[0]):
        return ""
    return words[0][:100]
