"""Plausible subjects and message bodies, composed from the templates in words.json.

Each conversation gets one `Details` (its product, order number, amount, ...),
so every message in it talks about the same order. Values are drawn only when a
template asks for them, which keeps composing millions of messages cheap.
"""

import json
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

WORDS_FILE = Path(__file__).with_name("words.json")
KINDS_WITH_TOPICS = ("complaint", "question", "praise", "idea")


@cache
def words() -> dict[str, Any]:
    return json.loads(WORDS_FILE.read_text(encoding="utf-8"))


def ascii_slug(text: str, sep: str = ".") -> str:
    """'García Ramírez' -> 'garcia.ramirez', for made-up email addresses and domains."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = "".join(c if c.isalnum() else " " for c in plain.lower())
    return sep.join(kept.split())


class Details(dict[str, str]):
    """Placeholder values for one conversation, drawn on first use and then kept."""

    def __init__(self, rng: random.Random, **known: str) -> None:
        super().__init__(known)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = _DRAW[key](self.rng)
        self[key] = value
        return value


def _pick(name: str) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(words()[name])


_DRAW: dict[str, Callable[[random.Random], str]] = {
    "product": _pick("products"),
    "colour": _pick("colours"),
    "size": _pick("sizes"),
    "courier": _pick("couriers"),
    "city": _pick("cities"),
    "company": _pick("companies"),
    "day": _pick("weekdays"),
    "order": lambda rng: f"ED-{rng.randint(100000, 999999)}",
    "invoice": lambda rng: f"INV-{rng.randint(10000, 99999)}",
    "amount": lambda rng: f"€{rng.randint(4, 380)}.{rng.choice(('00', '50', '90', '99'))}",
    "digits": lambda rng: str(rng.randint(1000, 9999)),
    "days": lambda rng: str(rng.randint(2, 21)),
    "years": lambda rng: str(rng.randint(2, 12)),
    "name": lambda rng: "there",
    "agent": lambda rng: "everyone",
}


@dataclass(frozen=True)
class Templates:
    """The templates for one topic and kind (or for the topic-less 'other' kind)."""

    subjects: list[str]
    openings: list[str]
    replies: list[str]
    details: list[str]
    notes: list[str]


@cache
def templates(topic: str, kind: str) -> Templates:
    if kind not in KINDS_WITH_TOPICS:
        other = words()["other"]
        return Templates(other["subjects"], other["openings"], other["replies"], [], other["notes"])
    section = words()["topics"][topic]
    own = section[kind]
    return Templates(
        own["subjects"], own["openings"], own["replies"], section["details"], section["notes"]
    )


class Composer:
    """Writes the texts of one conversation in the voice of its customer and agent."""

    def __init__(self, rng: random.Random, templates: Templates, kind: str, details: Details):
        self.rng, self.t, self.kind, self.d = rng, templates, kind, details

    def _fill(self, template: str) -> str:
        return template.format_map(self.d)

    def subject(self) -> str:
        return self._fill(self.rng.choice(self.t.subjects))

    def opening(self) -> str:
        rng, w = self.rng, words()
        core = [self._fill(rng.choice(self.t.openings))]
        if self.t.details and rng.random() < 0.6:
            core.append(self._fill(rng.choice(self.t.details)))
        if self.kind == "complaint" and rng.random() < 0.5:
            core.append(self._fill(rng.choice(w["frustration"])))
        elif self.kind == "praise" and rng.random() < 0.5:
            core.append(rng.choice(w["warmth"]))
        return self._letter(rng.choice(w["greetings"]), " ".join(core))

    def follow_up(self, *, after_solution: bool) -> str:
        pool = words()["customer_thanks" if after_solution else "customer_follow_ups"]
        return self._letter("", self._fill(self.rng.choice(pool)))

    def _letter(self, greeting: str, core: str) -> str:
        sign_off = self.rng.choice(words()["sign_offs"])
        parts = [greeting, core, f"{sign_off}\n{self.d['name']}"]
        return "\n\n".join(part for part in parts if part)

    def reply(self, *, status: str | None) -> str:
        rng, w = self.rng, words()
        core = [self._fill(rng.choice(self.t.replies))]
        if status == "pending":
            core.append(self._fill(rng.choice(w["reply_pending"])))
        elif status == "solved":
            core.append(rng.choice(w["reply_solved"]))
        parts = [
            self._fill(rng.choice(w["reply_openers"])),
            " ".join(core),
            self._fill(rng.choice(w["reply_closers"])),
            f"{rng.choice(w['agent_sign_off'])}\n{self.d['agent']}",
        ]
        return "\n\n".join(parts)

    def note(self) -> str:
        return self._fill(self.rng.choice(self.t.notes))
