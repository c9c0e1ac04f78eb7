"""Sentiment: the trained head's probabilities, then customer-service corrections.

The head has learnt opinion from reviews and tweets; customer-service language has
turns it reads the wrong way round, because the words are positive and the meaning is
not ("thanks for nothing", "great, third time it broke") or the other way
("not bad at all", "can't complain"). Each correction below is an explicit pattern
with a name, pinned by tests/listening/test_scoring_sentiment.py; when one fires it
sets the direction and a floor on the strength, and the head's score is kept when it
already agrees more strongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from everydesk.listening.scoring.cues import ORDINAL_TIME, any_of, one_of

# A score inside this band is "neutral" after a correction moved it.
NEUTRAL_BAND = 0.2


@dataclass(frozen=True, slots=True)
class Correction:
    name: str
    pattern: re.Pattern[str]
    direction: int  # -1 negative, +1 positive
    strength: float  # the corrected score is at least this far from zero


def _c(name: str, direction: int, strength: float, *patterns: str) -> Correction:
    return Correction(name, any_of(*patterns), direction, strength)


_PRAISE_WORD = one_of(
    "great", "wonderful", "fantastic", "brilliant", "perfect", "lovely", "awesome",
    "excellent", "nice", "amazing", "super", "terrific",
)  # fmt: skip
_BAD_TURN = one_of(
    ORDINAL_TIME,
    r"another\b",
    r"again\b",
    r"still\b",
    r"now (?:it|my|the|you)\b",
    r"it(?:'s| has| is)? (?:broke|broken|stopped|died|crashed|failed|gone)\b",
    r"(?:broke|broken|stopped working|crashed) (?:again|down)\b",
)
# "Great service", "nice job": praise words that keep their meaning after "oh", "just".
_SINCERE_OBJECT = one_of("service", "job", "work", "help", "support", "product", "team")
_SATISFIED = one_of(
    "happy", "satisfied", "impressed", "pleased", "acceptable", "good enough", "ok", "okay"
)
_DEGREE = one_of("very", "at all", "really", "too", "that", "so", "entirely", "completely")
_SCORN = one_of("joke", "farce", "waste", "disgrace", "shambles", "nightmare", "rip-?off", "scam")
_FAILURE_WORD = one_of(r"again", r"broke", r"never", r"still", r"crash\w*", r"fail\w*", r"wait\w*")
_HARSH = one_of("terrible", "awful", "worse", "horrible", "dreadful")
_CANNOT = r"can(?:'?t|not| not)"

# Negative corrections come first: when both kinds match, the complaint wins, since a
# missed complaint costs more than a missed compliment.
CORRECTIONS: tuple[Correction, ...] = (
    _c(
        "thanks_for_nothing", -1, 0.6,
        r"\bthanks?(?: you)? (?:a lot |so much )?for "
        r"(?:nothing|wasting|ruining|the runaround|absolutely nothing)\b",
    ),
    _c(
        "sarcastic_praise_then_failure", -1, 0.6,
        rf"\b{_PRAISE_WORD}\b[\s,.!…:;-]+(?:just |so |and |yet )?{_BAD_TURN}",
    ),
    _c(
        "oh_great", -1, 0.5,
        rf"\b(?:oh|just|simply|well|yeah),? {_PRAISE_WORD}\b(?!\s+{_SINCERE_OBJECT})",
    ),
    _c(
        "sarcasm_marker", -1, 0.5,
        r"(?:^|\s)/s\b", r"\byeah,? right\b", r"\bso much for\b", rf"\bwhat an? {_SCORN}\b",
    ),
    _c(
        "love_how_it_fails", -1, 0.5,
        rf"\b(?:love|loving|enjoy|adore)\b (?:how|that|when|the way)\b[^.!?]{{0,60}}"
        rf"\b{_FAILURE_WORD}\b",
    ),
    _c(
        "negated_satisfaction", -1, 0.5,
        rf"(?:\bnot|\bnever|n'?t) (?:{_DEGREE} )?{_SATISFIED}\b",
    ),
    _c("could_not_be_worse", -1, 0.6, r"\bcould(?:n'?t| not| hardly) (?:be|have been|get) worse\b"),
    _c(
        "not_bad", +1, 0.35,
        rf"\bnot (?:too |so |that |half )?bad(?: at all)?\b"
        rf"(?!\s*(?:,|but|, but|just|it'?s)\s+{_HARSH})",
    ),
    _c(
        "no_complaints", +1, 0.4,
        rf"\b{_CANNOT} complain\b", r"\bno complaints\b", r"\bnothing to complain about\b",
    ),
    _c(
        "could_not_be_happier", +1, 0.7,
        r"\bcould(?:n'?t| not) (?:be|have been) "
        r"(?:happier|better|more (?:pleased|satisfied|happy|grateful))\b",
    ),
    _c(
        "no_problems_at_all", +1, 0.35,
        r"\b(?:no|zero|without any) (?:problems?|issues?|hassle|trouble)(?: at all| whatsoever)\b",
        r"\bwithout (?:a|any) (?:hitch|hassle)\b",
    ),
    _c(
        "cannot_recommend_enough", +1, 0.7,
        rf"\b{_CANNOT} (?:recommend|thank|praise) (?:\w+ ){{0,3}}enough\b",
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sentiment:
    score: float
    label: str
    probabilities: np.ndarray  # negative, neutral, positive (from the head)
    correction: str  # the correction that fired, or ""


def first_correction(text: str) -> Correction | None:
    for correction in CORRECTIONS:
        if correction.pattern.search(text):
            return correction
    return None


def judge(text: str, probabilities: np.ndarray) -> Sentiment:
    """Sentiment of one text from the head's (negative, neutral, positive) probabilities."""
    score = float(probabilities[2]) - float(probabilities[0])
    label = ("negative", "neutral", "positive")[int(np.argmax(probabilities))]
    correction = first_correction(text)
    if correction is None:
        return Sentiment(round(score, 4), label, probabilities, "")
    if correction.direction < 0:
        score = min(score, -correction.strength)
    else:
        score = max(score, correction.strength)
    label = "negative" if score < -NEUTRAL_BAND else "positive" if score > NEUTRAL_BAND else label
    return Sentiment(round(score, 4), label, probabilities, correction.name)
