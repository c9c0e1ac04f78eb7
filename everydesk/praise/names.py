"""Finding employees named in a customer's words.

The text is split into words once, and names are looked up in dictionaries built from
the staff list, so a batch costs the same with ten employees or ten thousand.

- A full name ("Alice Martin", any case) names that person.
- A first name alone names a person only when it is distinctive: one member of staff
  has it, it is not an ordinary English word ("Will", "Grace", "Max"), it is written
  with a capital (unless the customer writes everything in lower case), and it is not
  the customer's own name (people sign their messages). A first name several staff
  share names the one of them who worked on the conversation, if exactly one did.
"""

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from everydesk.praise.models import MatchedBy

# First names that are also everyday words, or words customers write capitalised at the
# start of a sentence: matched only as part of a full name.
COMMON_WORDS = frozenset(
    {
        "will",
        "may",
        "june",
        "april",
        "august",
        "grace",
        "hope",
        "joy",
        "faith",
        "rose",
        "lily",
        "daisy",
        "ivy",
        "holly",
        "amber",
        "ruby",
        "pearl",
        "crystal",
        "dawn",
        "summer",
        "autumn",
        "winter",
        "sky",
        "rain",
        "river",
        "mark",
        "bill",
        "bob",
        "jack",
        "frank",
        "pat",
        "sue",
        "rich",
        "art",
        "chase",
        "chance",
        "hunter",
        "miles",
        "max",
        "sunny",
        "honey",
        "star",
        "angel",
        "guy",
        "dean",
        "don",
        "ray",
        "happy",
        "best",
        "great",
        "thanks",
        "thank",
        "good",
        "nice",
        "kind",
        "sweet",
        "hi",
        "hello",
        "dear",
        "team",
        "support",
        "service",
        "sir",
        "madam",
        "love",
        "brand",
        "page",
        "penny",
        "price",
        "sage",
        "robin",
        "drew",
        "jay",
        "wade",
        "earl",
        "king",
        "rocky",
        "bliss",
    }
)
MIN_FIRST_NAME = 3
# Letters, with inner apostrophes (straight or curly) and hyphens: O'Neill, Anne-Marie.
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@dataclass(frozen=True)
class Person:
    id: int
    first: str
    last: str


@dataclass
class Directory:
    """Every member of staff, by the names a customer might use."""

    full: dict[tuple[str, ...], list[int]] = field(default_factory=lambda: defaultdict(list))
    first: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    lengths: set[int] = field(default_factory=set)
    ids: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, people: Iterable[Person]) -> "Directory":
        directory = cls()
        for person in people:
            directory.ids.add(person.id)
            first = _words(person.first)
            if not first:
                continue
            key = tuple(first + _words(person.last))
            if len(key) > len(first):
                directory.full[key].append(person.id)
                directory.lengths.add(len(key))
            directory.first[first[0]].append(person.id)
        return directory


def _words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text)]


def named(
    text: str, directory: Directory, *, customer_name: str, concerned: set[int]
) -> dict[int, str]:
    """Employee id -> how they were named, for everyone `text` names."""
    found: dict[int, str] = {}
    words = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    lowered = [word.lower() for word, _, _ in words]
    own = set(_words(customer_name))
    for n in sorted(directory.lengths, reverse=True):
        for i in range(len(words) - n + 1):
            key = tuple(lowered[i : i + n])
            ids = directory.full.get(key)
            if ids and _adjacent(text, words[i : i + n]) and len(ids) == 1 and set(key) - own:
                found.setdefault(ids[0], MatchedBy.FULL_NAME)
    all_lower = text == text.lower()
    for (word, _, _), low in zip(words, lowered, strict=True):
        ids = directory.first.get(low)
        if not ids or not _distinctive(word, low, own, all_lower):
            continue
        if len(ids) > 1:
            ids = [i for i in ids if i in concerned]
        if len(ids) == 1:
            found.setdefault(ids[0], MatchedBy.FIRST_NAME)
    return found


def _adjacent(text: str, words: list[tuple[str, int, int]]) -> bool:
    """The words of a full name follow each other with only spaces between."""
    return all(not text[a[2] : b[1]].strip() for a, b in itertools.pairwise(words))


def _distinctive(word: str, low: str, own: set[str], all_lower: bool) -> bool:
    return (
        len(low) >= MIN_FIRST_NAME
        and low not in COMMON_WORDS
        and low not in own
        and (word[0].isupper() or all_lower)
    )
