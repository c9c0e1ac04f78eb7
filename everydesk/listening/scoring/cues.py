"""Phrases that mark a kind of message, shared by the kind, sentiment and urgency rules.

Plain regular expressions, so that every decision they take can be read back as
"this phrase was there". Word lists are spelled out with one_of() so a new phrase is
one more word in a list. Patterns are written in lower case and matched against
lower-cased text: that is several times faster than re.IGNORECASE over these long
alternations, and the rules run on every text scored.
"""

from __future__ import annotations

import re


def one_of(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


def any_of(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


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

# A sentence that opens like a question: an auxiliary then its subject ("can I",
# "is there", "does my"), "when"/"where" then an auxiliary ("when will"), or another
# question word not followed by a clause of its own ("what films", "who wrote", but
# not "what I want", "what a joke"). So "Can't log in", "Was delivered late" and
# "When I opened the box it was broken" stay statements.
_AUXILIARY = one_of(
    "can", "could", "do", "does", "did", "is", "are", "was", "were", "will", "would",
    "should", "may", "might", "have", "has", "am", "shall",
)  # fmt: skip
_SUBJECT = one_of(
    "i", "you", "we", "they", "he", "she", "it", "there", "this", "that", "these", "those",
    "my", "your", "our", "the", "a", "an", "any", "anyone", "someone", "somebody",
    "anybody", "u",
)  # fmt: skip
_CLAUSE_START = one_of("i", "you", "we", "they", "he", "she", "a", "an")
_SENTENCE_START = r"(?:^|[.!?]\s+)"
_OPENS_LIKE_A_QUESTION = (
    rf"{_SENTENCE_START}(?:"
    rf"{_AUXILIARY} {_SUBJECT}\b"
    rf"|(?:when|where) (?:{_AUXILIARY}|\w+n'?t)\b"
    rf"|(?:how|what|which|who|whom|whose|why) (?!{_CLAUSE_START}\b)\w+"
    r")[^.!]{2,}"
)

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
# Questions: a question mark, a sentence that opens like a question, a polite frame.
QUESTION_CUES = (
    any_of(r"\?"),
    any_of(_OPENS_LIKE_A_QUESTION),
    any_of(rf"\b{_POLITE_ASK}\b"),
)

_FAULT = one_of(
    "refund", "broken", "faulty", "defective", "damaged", "unacceptable", "overcharged",
    "charged twice", "double charged", "rip-?off", "scam", "cracked", "leaking", "leaks",
    "torn", "ripped", "scratched", "dented", "missing", "wrong (?:item|size|colou?r|order|address)",
)  # fmt: skip
_FAILED_VERB = one_of(
    "does ?n[o']?t", "did ?n[o']?t", "do ?n[o']?t", "won'?t", "will not", "is ?n[o']?t", "not",
    "can'?t", "cannot", "can not", "unable to", "could ?n[o']?t", "has ?n[o']?t", "have ?n[o']?t",
    "has not yet", "have not yet", "still has ?n[o']?t", "never",
)  # fmt: skip
_FAILED_ACTION = one_of(
    "work", "working", "arrive", "arrived", "turn on", "start", "load", "loading", "charge",
    "fit", "log ?in", "sign in", "access", "connect", "pay", "check ?out", "open", "use",
    "(?:yet )?(?:been )?(?:delivered|shipped|dispatched|refunded|arrived|received|fixed)",
)  # fmt: skip
_DAMNING = one_of(
    "worst", "terrible", "awful", "horrible", "disgusting", "useless", "pathetic",
    "ridiculous", "disgraceful",
)  # fmt: skip
COMPLAINT = any_of(
    rf"\b{_FAULT}\b",
    rf"\b{_FAILED_VERB} {_FAILED_ACTION}\b",
    r"\bstopped working\b|\bnever (?:arrived|came|showed up|received)\b",
    r"\bstill (?:waiting|no|not|nothing|broken)\b",
    r"\b(?:is|are|was|site|website|app|server|system) (?:down|broken)\b",
    r"\bkeeps? (?:crashing|freezing|failing|breaking|disconnecting)\b",
    r"\b(?:speak|talk) to (?:a|your|the) (?:manager|supervisor)\b",
    rf"\b{_DAMNING}\b",
)
