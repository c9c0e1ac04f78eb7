"""Kind of a message: complaint, praise, question, idea or other.

Ideas and questions are told by what the text does (proposes, asks), which sentiment
cannot see: explicit cues (cues.py) and, for questions phrased without a question
mark, the trained question head. Complaint and praise then follow the sentiment.
A question asked in anger ("why is my order STILL not here?") is a complaint, and so
is any message with a threat, a legal or safety word, or a repeated request in it,
whatever its tone.
"""

from __future__ import annotations

from everydesk.listening.scoring.cues import COMPLAINT, IDEA, QUESTION
from everydesk.listening.scoring.sentiment import Sentiment

KINDS = ("complaint", "praise", "question", "idea", "other")
# The question head alone must be this sure; with a cue it needs no head at all.
QUESTION_HEAD_THRESHOLD = 0.85
ANGRY = -0.5
# Urgency signals that make a message a complaint on their own ("shouting" does not).
COMPLAINT_SIGNALS = frozenset(
    {"safety", "legal", "churn_threat", "public_threat", "repeat_contact"}
)


def classify(
    text: str, sentiment: Sentiment, question_probability: float, signals: tuple[str, ...]
) -> tuple[str, float]:
    """(kind, confidence 0..1)."""
    negative, neutral, positive = (float(p) for p in sentiment.probabilities)
    complains = COMPLAINT.search(text) is not None or not COMPLAINT_SIGNALS.isdisjoint(signals)
    sarcastic = sentiment.correction != "" and sentiment.score < 0
    angry = sentiment.score <= ANGRY or sarcastic
    if IDEA.search(text) and not (sarcastic or (complains and angry)):
        return "idea", 0.85
    asks = QUESTION.search(text) is not None
    if asks or question_probability >= QUESTION_HEAD_THRESHOLD:
        # Negative words alone do not make a question a complaint ("does the warranty
        # cover water damage?"); a complaint phrase or sarcasm does.
        if sarcastic or (complains and sentiment.label == "negative"):
            return "complaint", round(max(negative, 0.6), 3)
        confidence = 0.9 if asks and question_probability >= 0.5 else 0.75
        return "question", confidence
    if sentiment.label == "negative" or (complains and sentiment.score < NEUTRAL_COMPLAINT):
        return "complaint", round(
            max(negative, abs(min(sentiment.score, 0)), 0.6 if complains else 0), 3
        )
    if sentiment.label == "positive":
        return "praise", round(max(positive, sentiment.score), 3)
    return "other", round(neutral, 3)


# A complaint phrase in a text the head reads as mildly positive still makes it a complaint.
NEUTRAL_COMPLAINT = 0.2
