"""Greetings and sign-offs, taken out before the sentiment head reads a message.

"Hi team, hope you are well ... Thanks in advance, kind regards, Tom" is politeness,
not praise, yet its words are the most positive in many complaints. The head reads
the message without them; the rules, the kind and the urgency still read all of it.
A closing "thanks" is taken out only when it stands as a sentence of its own after
the body ("It never arrived. Many thanks, Sam"), never inside one ("refund received,
thanks!"), and a message that is nothing but courtesy is read as it is.
"""

from __future__ import annotations

import re

from everydesk.listening.scoring.cues import one_of

_NAME = r"(?:[a-z][\w.'-]*)(?:\s+[a-z][\w.'-]*)?"  # "Tom", "Anna K."
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^,.!?\n]{0,30}[,.!\n]\s*",
    re.IGNORECASE,
)
_WELL_WISH = re.compile(
    r"\b(?:i )?hope (?:you are|you're|this (?:email |message )?finds you|all is) "
    r"(?:well|doing well|keeping well|good)\b[.!,]?\s*",
    re.IGNORECASE,
)
_IN_ADVANCE = re.compile(
    r"\b(?:many )?thanks?(?: you)?(?: so much)? in advance(?: for (?:your|any) "
    r"(?:help|time|assistance|support|reply|response|patience))?[.!,]?\s*",
    re.IGNORECASE,
)
_SIGN_OFF = one_of(
    "(?:kind|best|warm|warmest|many) regards", "regards", "sincerely", "yours (?:sincerely|truly)",
    "best wishes", "all the best", "cheers", "thanks", "thank you", "many thanks", "thanks a lot",
    "thank you very much", "thanks so much",
)  # fmt: skip
# One or more sign-offs closing the message, after the end of a sentence, and a name.
_CLOSING = re.compile(
    rf"(?:(?<=[.!?\n])|^)\s*(?:{_SIGN_OFF}(?: for your (?:help|time|assistance|patience))?"
    rf"[,.!]*\s*)+(?:{_NAME})?[.!]*\s*$",
    re.IGNORECASE,
)


def without_courtesy(text: str) -> str:
    """The text with its greeting, well-wishing and sign-off removed (case kept: VADER
    reads capitals as emphasis)."""
    body = _GREETING.sub("", text, count=1)
    body = _WELL_WISH.sub("", body)
    body = _IN_ADVANCE.sub("", body)
    body = _CLOSING.sub("", body, count=1).strip()
    return body if body else text
