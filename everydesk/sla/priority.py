"""The priority score: one number per conversation, and the reasons that make it up.

Points come from five things a person can check: the customer's tier, how urgent their
words are, how unhappy they sound, how close the SLA deadline is, and how long the
conversation has waited. The band (urgent/high/normal/low) follows from the total,
unless a person chose the priority: their choice wins.

Listening's urgency thresholds (LISTENING_URGENT_AT, LISTENING_HIGH_AT) give exactly
the points that reach the urgent and high bands, so a message that used to raise the
priority on its own still does, now as one part of the same score.

Reasons carry no clock reading ("SLA due within 30 min", not "in 23 min") so a stored
breakdown stays true until the next rescore, which the periodic check runs exactly
when a part changes (see next_change).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from everydesk.conversations.models import Priority
from everydesk.sla.policies import TierInfo

URGENT_AT, HIGH_AT, NORMAL_AT = 60, 30, 0
URGENT_WORDS, PRESSING_WORDS = 60, 30
ANGRY, UNHAPPY = 10, 5
ANGRY_BELOW, UNHAPPY_BELOW = -0.6, -0.3
BREACHED = 40
# Deadline closer than: points. The warning window comes first, then these.
SOON = ((dt.timedelta(hours=2), 15), (dt.timedelta(hours=8), 5))
WARNED = 30
POINTS_PER_DAY, MOST_FOR_AGE = 2, 20


@dataclass(frozen=True)
class Part:
    label: str
    points: int

    @property
    def text(self) -> str:
        return f"{self.label} {self.points:+d}"


@dataclass(frozen=True)
class Clock:
    """What the score needs of a conversation's SLA clock."""

    due_at: dt.datetime | None
    paused: bool
    warn_before: dt.timedelta


@dataclass(frozen=True)
class Score:
    points: int
    parts: tuple[Part, ...]
    next_change: dt.datetime | None

    @property
    def band(self) -> int:
        if self.points >= URGENT_AT:
            return int(Priority.URGENT)
        if self.points >= HIGH_AT:
            return int(Priority.HIGH)
        if self.points >= NORMAL_AT:
            return int(Priority.NORMAL)
        return int(Priority.LOW)

    @property
    def reasons(self) -> list[list[str | int]]:
        """As stored on the conversation: [[label, points], ...]."""
        return [[part.label, part.points] for part in self.parts]


def _words(urgency: int) -> Part | None:
    if urgency >= settings.LISTENING_URGENT_AT:
        return Part("urgent words", URGENT_WORDS)
    if urgency >= settings.LISTENING_HIGH_AT:
        return Part("pressing words", PRESSING_WORDS)
    return None


def _mood(sentiment: float | None) -> Part | None:
    if sentiment is None:
        return None
    if sentiment <= ANGRY_BELOW:
        return Part("angry", ANGRY)
    if sentiment <= UNHAPPY_BELOW:
        return Part("unhappy", UNHAPPY)
    return None


def _window_label(window: dt.timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 and minutes >= 60 else f"{minutes} min"


def _sla(clock: Clock | None, now: dt.datetime) -> tuple[Part | None, dt.datetime | None]:
    """Points for the deadline, and when they next change."""
    if clock is None or clock.paused or clock.due_at is None:
        return None, None
    left = clock.due_at - now
    if left <= dt.timedelta(0):
        return Part("SLA breached", BREACHED), None
    steps = [(clock.warn_before, WARNED), *((w, p) for w, p in SOON if w > clock.warn_before)]
    steps = [(window, points) for window, points in steps if window > dt.timedelta(0)]
    inside = [(window, points) for window, points in steps if left <= window]
    part = None
    if inside:
        window, points = min(inside)
        part = Part(f"SLA due within {_window_label(window)}", points)
    # Next change: entering the next narrower window, or the deadline itself.
    narrower = [window for window, _ in steps if window < left]
    return part, clock.due_at - max(narrower) if narrower else clock.due_at


def _age(created_at: dt.datetime, now: dt.datetime) -> tuple[Part | None, dt.datetime | None]:
    days = max((now - created_at).days, 0)
    points = min(days * POINTS_PER_DAY, MOST_FOR_AGE)
    change = None if points >= MOST_FOR_AGE else created_at + dt.timedelta(days=days + 1)
    label = f"waiting {days} day" + ("s" if days != 1 else "")
    return (Part(label, points) if points else None), change


def score(
    *,
    tier: TierInfo | None,
    urgency: int,
    sentiment: float | None,
    created_at: dt.datetime,
    clock: Clock | None,
    now: dt.datetime,
) -> Score:
    sla_part, sla_change = _sla(clock, now)
    age_part, age_change = _age(created_at, now)
    tier_part = Part(tier.name, tier.boost) if tier and tier.boost else None
    parts = tuple(
        part
        for part in (tier_part, _words(urgency), _mood(sentiment), sla_part, age_part)
        if part is not None
    )
    changes = [moment for moment in (sla_change, age_change) if moment is not None]
    return Score(
        points=sum(part.points for part in parts),
        parts=parts,
        next_change=min(changes) if changes else None,
    )
