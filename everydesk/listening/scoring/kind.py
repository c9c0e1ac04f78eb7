"""Kind of a message: complaint, praise, question, idea or other.

Ideas and questions are told by what the text does (proposes, asks), which sentiment
cannot see, so by explicit cues (cues.py): a question mark, a sentence that opens like
a question, a polite frame ("I was wondering"), a proposal ("it would be great if").
Complaint and praise then follow the sentiment. No intent-labelled customer text with
a licence that allows shipping a model trained on it was found in a package, so there
is no trained kind head (docs/listening.md).

A question asked in anger ("why is my order STILL not here??") is a complaint, and so
is a message with a fault named in it ("can't log in") or an urgency signal, unless it
reads clearly positive.
"""

from __future__ import annotations

from everydesk.listening.scoring.cues import COMPLAINT, IDEA, QUESTION_CUES
from everydesk.listening.scoring.sentiment import Sentiment

KINDS = ("complaint", "praise", "question", "idea", "other")
ANGRY = -0.5
# A fault named or a signal raised in a text that reads at most this positive is a complaint.
NEUTRAL_COMPLAINT = 0.4
# Urgency signals that make a message that is not praise a complaint.
COMPLAINT_SIGNALS = frozenset(
    {"safety", "legal", "security", "churn_threat", "public_threat", "repeat_contact"}
    | {"shouting"}
)
# ... even when it is phrased as a question, all but churn: "can I cancel my plan?" is
# a question (carrying a churn signal), "third time I ask: where is it?" is a complaint.
OVERRIDING_SIGNALS = COMPLAINT_SIGNALS - {"churn_threat"}
# The corrections (sentiment.py) that mean the words say the opposite of the meaning.
SARCASM = frozenset(
    {"thanks_for_nothing", "sarcastic_praise_then_failure", "oh_great", "sarcasm_marker"}
    | {"love_how_it_fails"}
)


def classify(text: str, sentiment: Sentiment, signals: tuple[str, ...]) -> tuple[str, float]:
    """(kind, confidence 0..1)."""
    negative, neutral, positive = (float(p) for p in sentiment.probabilities)
    text = text.lower()
    complaint_words = COMPLAINT.search(text) is not None
    complains = complaint_words or not COMPLAINT_SIGNALS.isdisjoint(signals)
    sarcastic = sentiment.correction in SARCASM
    angry = sentiment.score <= ANGRY or sarcastic
    if IDEA.search(text) and not (sarcastic or (complains and angry)):
        return "idea", 0.85
    asks = [cue for cue in QUESTION_CUES if cue.search(text)]
    if asks:
        # Negative words alone do not make a question a complaint ("does the warranty
        # cover water damage?"); a complaint phrase or sarcasm does.
        if (
            sarcastic
            or (complaint_words and sentiment.label == "negative")
            or not OVERRIDING_SIGNALS.isdisjoint(signals)
        ):
            return "complaint", round(max(negative, 0.6), 3)
        # A question mark and question wording together are surer than either alone.
        return "question", 0.9 if len(asks) > 1 else 0.75
    if sentiment.label == "negative" or (complains and sentiment.score < NEUTRAL_COMPLAINT):
        return "complaint", round(
            max(negative, abs(min(sentiment.score, 0)), 0.6 if complains else 0), 3
        )
    if sentiment.label == "positive":
        return "praise", round(max(positive, sentiment.score), 3)
    return "other", round(neutral, 3)
