"""What a search query asks for: words (a trailing * means prefix) and quoted phrases.

Both engines build their own query syntax from these clean tokens, so nothing
a person types is ever read as FTS5 or tsquery operators.
"""

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'"([^"]+)"|(\w+\*?)', re.UNICODE)


class EmptyQuery(ValueError):
    """The query has no word to look for."""


@dataclass(frozen=True)
class Terms:
    """A parsed query: single words (a trailing * means prefix) and quoted phrases."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


def parse(query: str) -> Terms:
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for phrase, word in _TOKEN.findall(query):
        if phrase:
            parts = tuple(re.findall(r"\w+", phrase))
            if len(parts) > 1:
                phrases.append(parts)
            elif parts:
                words.append(parts[0])
        elif word.strip("*"):
            words.append(word)
    if not words and not phrases:
        raise EmptyQuery("Type at least one word to search for.")
    return Terms(words=tuple(words[:20]), phrases=tuple(phrases[:5]))
