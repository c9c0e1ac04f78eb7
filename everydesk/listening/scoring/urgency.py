"""Urgency: explicit signals, each a stable code, and a 0..100 score built from them.

The score is the sum of the weights of the signals found plus up to 25 for negative
sentiment, capped at 100, so every figure can be explained by listing what was found:
a safety word alone is 45, a threat to leave in an angry message is about 55.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from everydesk.listening.scoring.cues import ORDINAL_TIME, any_of, one_of

URGENCY_SIGNAL_LABELS: dict[str, str] = {
    "safety": "Mentions a safety risk",
    "legal": "Mentions legal action",
    "churn_threat": "Threatens to leave",
    "public_threat": "Threatens to go public",
    "repeat_contact": "Has asked before",
    "shouting": "Shouting (capitals or !!!)",
}
WEIGHTS = {
    "safety": 45,
    "legal": 40,
    "churn_threat": 35,
    "public_threat": 30,
    "repeat_contact": 25,
    "shouting": 15,
}
NEGATIVE_SENTIMENT_POINTS = 25


_PLATFORM = one_of(
    "twitter", r"x\.com", "facebook", "instagram", "tiktok", "reddit", "youtube", "linkedin",
    "social media", "trustpilot", "yelp", "google reviews?", "tripadvisor",
)  # fmt: skip
_HARM = one_of(
    "injur\\w*", "hurt (?:me|my|him|her|us|them|himself|herself)", "bleeding",
    "cut (?:my|his|her) (?:hand|finger)", "hospital", "a&e", "emergency room", "choking",
    "choked",
)  # fmt: skip
_HAZARD = one_of(
    "toxic", "poison\\w*", "gas leak", "leaking gas", "carbon monoxide", "allergic reaction",
    "food poisoning", "unsafe", "dangerous", "hazard\\w*", "safety (?:issue|risk|concern)",
)  # fmt: skip
_FIRE = one_of(
    "caught fire", "on fire", "fire hazard", "burst into flames", "flames?", "smoke", "smoking",
    "smoked", "sparks?", "sparking",
)  # fmt: skip
_ELECTRIC = one_of(
    "electric(?:al)? shock", "shocked me", "got a shock", "electrocut\\w*", "explod\\w*",
    "overheat\\w*", "melt(?:ed|ing)?", "scorch\\w*",
    "burn(?:t|ed|ing|s)? (?:me|my|his|her|our|the|a hole)",
)  # fmt: skip
_LAWYER = one_of(
    "lawyers?", "attorneys?", "solicitors?", "sue", "suing", "sued", "lawsuit", "legal action",
    "legal proceedings", "take (?:you|this) to court", "small claims", "class action",
)  # fmt: skip
_AUTHORITY = one_of(
    "charge ?backs?", "dispute (?:the|this|my) (?:charge|payment|transaction)", "ombudsman",
    "trading standards", "consumer (?:protection|rights|council)", "better business bureau",
    "bbb", "regulator", "ftc", "fca", "gdpr", "breach of (?:contract|data protection)",
    r"report(?:ing)? (?:you|this|your company) to (?:the )?\w+",
)  # fmt: skip
_CONTRACT = one_of("account", "subscription", "contract", "membership", "plan", "service")
_WE_WILL_BE = one_of("i'?m", "i am", "we'?re", "we are", "i'?ll be", "we'?ll be", "will be")
_LEAVING = one_of(
    "leaving", "switching", "moving to", "going elsewhere", "taking (?:my|our) business"
)
_RIVAL = one_of("competitor", "different (?:provider|company|bank|supplier|airline|shop)")
_NEVER = one_of("never", "won'?t", "will not", "not going to")
_PATRONISE = one_of("buy", "order", "shop", "use", "fly", "book", "deal", "stay")
_BAD_REVIEW = one_of(
    "bad", "negative", "terrible", "honest", "scathing", "one[- ]star", "1[- ]star", r"1\*"
)
_AUDIENCE = one_of("everyone", "everybody", "all my friends", "my followers", "the world", "others")
_MANY = one_of(
    r"\d+", "two", "three", "four", "five", "six", "seven", "ten", "several", "many",
    "multiple", "countless", "numerous", "so many",
)  # fmt: skip
_CONTACTS = one_of("times", "emails", "calls", "messages", "requests", "tickets")
_UNANSWERED = one_of(
    "no", "not", "nothing", "haven'?t", "hasn'?t", "have not", "has not", "waiting",
    "unanswered", "unresolved",
)  # fmt: skip
_CHASE = one_of("asking", "writing", "calling", "emailing", "contacting", "chasing")
_ANSWERED = one_of(
    "answered", "replied", "responded", "got back", "gets back", "called back", "calls back"
)
_ALREADY_DID = one_of(
    "contacted", "called", "emailed", "written", "wrote", "asked", "reported", "complained"
)

PATTERNS: dict[str, re.Pattern[str]] = {
    "safety": any_of(rf"\b{_FIRE}\b", rf"\b{_ELECTRIC}\b", rf"\b{_HARM}\b", rf"\b{_HAZARD}\b"),
    "legal": any_of(rf"\b{_LAWYER}\b", rf"\b{_AUTHORITY}\b"),
    "churn_threat": any_of(
        rf"\b(?:cancel(?:l?ing|l?ed)?|close|terminate|end) (?:my|our|the) {_CONTRACT}\b",
        rf"\b{_WE_WILL_BE} {_LEAVING}\b",
        rf"\b(?:switch(?:ing)?|mov(?:e|ing)|go(?:ing)?) to (?:a |another |your )?{_RIVAL}\b",
        r"\btak(?:e|ing) (?:my|our) (?:business|money|custom) elsewhere\b",
        r"\b(?:go|going|shop|shopping) elsewhere\b",
        rf"\b{_NEVER} (?:ever )?{_PATRONISE}\w* (?:\w+ )?(?:from|with|at|again|here)\b",
        r"\b(?:done|finished|through) with (?:you|your company|this company|this service)\b",
        r"\blast chance\b|\b(?:lost|losing) a (?:loyal )?customer\b",
    ),
    "public_threat": any_of(
        rf"\b(?:post|share|tweet|put|write|shout)\w* (?:\w+ ){{0,4}}(?:on|to|all over|across) "
        rf"{_PLATFORM}",
        rf"\b(?:leav|writ|post|giv)(?:e|ing)?\b (?:\w+ ){{0,2}}{_BAD_REVIEW} (?:review|rating)s?\b",
        r"\b(?:one|1)[- ]star (?:review|rating)\b",
        rf"\b(?:tell|warn) {_AUDIENCE}\b",
        r"\b(?:go(?:ing)?|went) (?:to the )?(?:press|media|public|viral)\b",
        r"\b(?:journalists?|newspaper|reporter|watchdog)\b",
    ),
    "repeat_contact": any_of(
        rf"\b{ORDINAL_TIME}",
        rf"\b{_MANY} {_CONTACTS}\b",
        rf"\bstill {_UNANSWERED}\b|\bagain and again\b",
        rf"\b(?:once again|again) (?:i am |i'm |we are |we're )?{_CHASE}\b",
        rf"\b(?:nobody|no one|no-one) (?:has |ever )?{_ANSWERED}\b",
        r"\bno (?:answer|reply|response) (?:yet|since|for|after|to my)\b",
        rf"\b(?:already|previously) {_ALREADY_DID}\b",
        r"\bfollow(?:ing)?[- ]up (?:again|on my (?:previous|last|earlier))\b",
        r"\bchasing (?:this|my|up)\b",
    ),
}

_LETTER = re.compile(r"[^\W\d_]")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")


def shouting(text: str) -> bool:
    """Three or more exclamation marks, or a message mostly in capitals."""
    if text.count("!") >= 3:
        return True
    letters = _LETTER.findall(text)
    if len(letters) < 12:
        return False
    upper = sum(1 for letter in letters if letter.isupper())
    caps_words = len(_CAPS_WORD.findall(text))
    return (upper / len(letters) >= 0.6 and caps_words >= 2) or caps_words >= 4


@dataclass(frozen=True, slots=True)
class Urgency:
    score: int
    signals: tuple[str, ...]


def assess(text: str, sentiment_score: float) -> Urgency:
    signals = [code for code, pattern in PATTERNS.items() if pattern.search(text)]
    if shouting(text):
        signals.append("shouting")
    points = float(sum(WEIGHTS[code] for code in signals))
    points += NEGATIVE_SENTIMENT_POINTS * max(0.0, -sentiment_score)
    ordered = tuple(code for code in URGENCY_SIGNAL_LABELS if code in signals)
    return Urgency(min(100, round(points)), ordered)
