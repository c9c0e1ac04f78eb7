"""Fill {object.field} placeholders in canned text from a fixed whitelist.

Macro bodies are written by staff but read customer data; rendering them as
Django templates would let a macro reach any attribute. Plain substitution
from named values keeps that door shut.
"""

import re

PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")


def unknown_placeholders(text: str, known: set[str]) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in known})


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
