"""Phrases that mark a kind of message, shared by the kind, sentiment and urgency rules.

Plain regular expressions, case-insensitive, so that every decision they take can be
read back as "this phrase was there". Word lists are spelled out with one_of() so a
new phrase is one more word in a list.
"""

from __future__ import annotations

import re


def one_of(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


def any_of(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


ORDINAL = one_of(
    "second", "third", "fourth", "fifth", "sixth", "seventh", "tenth", "umpteenth", "nth",
    r"\d+(?:st|nd|rd|th)",
)  # fmt: skip
# "third time", "5th time", "for the second time"
ORDINAL_TIME = rf"(?:the )?{ORDINAL} time\b"

_NICE = one_of(
    "great", "nice", "good", "awesome", "helpful", "useful", "cool", "better", "handy",
    "lovely", "brilliant",
)  # fmt: skip
_VERY = "(?:really |so |very )?"
_PROPOSE = one_of(
    "add", "allow", "consider", "make it", "include", "support", "bring back", "introduce",
    "offer", "let us", "implement",
)  # fmt: skip
_WISH = one_of(
    "wish (?:you|there|it|they)",
    "would love (?:to see|it if|an?|the option)",
    "'d love (?:to see|it if|an?|the option)",
    "would like to see",
    "'d like to see",
    "suggest",
    "propose",
)

IDEA = any_of(
    rf"\b(?:it|that|this) (?:would|could|might) be {_VERY}{_NICE} (?:if|to)\b",
    rf"\b(?:it|that)'d be {_VERY}{_NICE} (?:if|to)\b",
    rf"\bwould(?:n'?t| not) it be {_NICE}\b",
    rf"\bplease {_PROPOSE}\b",
    r"\bfeature requests?\b|\b(?:suggestion|idea|proposal)\s*:",
    rf"\b(?:i|we) {_WISH}\b",
    r"\bhow about (?:adding|an?|a way|some|making)\b",
    r"\bwhy not (?:add|offer|allow|make|let)\b",
    rf"\b(?:you|they|the app|it) (?:should|could) (?:really )?{_PROPOSE}\b",
    rf"\b(?:would be|'d be) {_NICE} to have\b",
    r"\bcould you (?:please )?(?:add|consider adding|offer|introduce|make it possible)\b",
)

_OPENER = one_of(
    "how", "what", "when", "where", "why", "who", "which", "whom", "whose", "can", "could",
    "do", "does", "did", "is", "are", "was", "were", "will", "would", "should", "may",
    "have", "has", "am",
)  # fmt: skip
_POLITE_ASK = one_of(
    "i was wondering",
    "i(?:'d| would) like to know",
    "(?:can|could) you tell me",
    "do you know",
    "please (?:tell|let) me know",
    "any idea (?:how|why|when|if|what)",
    "is it possible to",
    "is there (?:a|any) way",
)
# Questions: a question mark, a sentence that opens like a question, or a polite frame.
QUESTION = any_of(
    r"\?",
    rf"(?:^|[.!]\s+){_OPENER}\b[^.!]{{3,}}$",
    rf"\b{_POLITE_ASK}\b",
)

_FAULT = one_of(
    "refund", "broken", "faulty", "defective", "damaged", "unacceptable", "overcharged",
    "charged twice", "double charged", "rip-?off", "scam",
)  # fmt: skip
_FAILED_VERB = one_of(
    "does ?n[o']?t", "did ?n[o']?t", "do ?n[o']?t", "won'?t", "will not", "is ?n[o']?t", "not"
)
_FAILED_ACTION = one_of(
    "work", "working", "arrive", "arrived", "turn on", "start", "load", "charge", "fit"
)
_DAMNING = one_of(
    "worst", "terrible", "awful", "horrible", "disgusting", "useless", "pathetic",
    "ridiculous", "disgraceful",
)  # fmt: skip
COMPLAINT = any_of(
    rf"\b{_FAULT}\b",
    rf"\b{_FAILED_VERB} {_FAILED_ACTION}\b",
    r"\bstopped working\b|\bnever (?:arrived|came|showed up|received)\b",
    r"\bstill (?:waiting|no|not|nothing|broken)\b",
    rf"\b{_DAMNING}\b",
)
