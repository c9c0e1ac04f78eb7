"""Regrouping hand-written feedback with the real scoring models (listening.scoring)."""

import datetime as dt

import pytest
from django.utils import timezone

from everydesk.listening import regrouping, topics
from everydesk.listening.models import SentimentLabel, Topic, Voice, VoiceSource
from everydesk.listening.vectors import to_bytes

scoring = pytest.importorskip("everydesk.listening.scoring")
pytestmark = pytest.mark.django_db

DOUBLE_CHARGES = [
    "I was charged twice for order 1042, please refund the second charge",
    "My card was charged twice this month and I want the money back",
    "You took the payment twice! Refund the duplicate charge please",
    "Why have I been charged twice for one order? Sort out the refund",
    "Double charge on my credit card again, where is my refund",
]
CRUSHED_PARCELS = [
    "The courier left my parcel in the rain and the box was crushed",
    "Parcel arrived crushed, the courier threw it over the fence",
    "The delivery driver damaged the parcel, the box is crushed on one side",
    "My parcel came crushed and soaking wet, the courier did not even ring",
]
LONERS = ["Do you have a shop in Lyon?", "Your newsletter is lovely, keep it up"]


def _voices(texts: list[str]) -> list[Voice]:
    at = timezone.now() - dt.timedelta(hours=1)
    made = []
    for text, score in zip(texts, scoring.score_texts(texts), strict=True):
        made.append(
            Voice.objects.create(
                source=VoiceSource.MESSAGE,
                text=text,
                created_at=at,
                scored_at=at,
                model_version=scoring.MODEL_VERSION,
                sentiment=score.sentiment,
                sentiment_label=score.sentiment_label or SentimentLabel.NEUTRAL,
                kind=score.kind,
                embedding=to_bytes(score.embedding),
            )
        )
    return made


def test_real_embeddings_group_hand_written_complaints_into_named_topics():
    _voices(DOUBLE_CHARGES + CRUSHED_PARCELS + LONERS)
    report = regrouping.regroup()
    assert len(report.created) == 2
    charges = Topic.objects.get(voices__text=DOUBLE_CHARGES[0])
    parcels = Topic.objects.get(voices__text=CRUSHED_PARCELS[0])
    assert set(charges.voices.values_list("text", flat=True)) == set(DOUBLE_CHARGES)
    assert set(parcels.voices.values_list("text", flat=True)) == set(CRUSHED_PARCELS)
    assert "charged twice" in charges.name
    assert "crushed" in parcels.name or "parcel" in parcels.name or "courier" in parcels.name
    assert Voice.objects.filter(topic=None).count() == len(LONERS)
    # A new complaint of the same kind joins at once; a new question does not.
    [late_charge, late_question] = _voices(
        ["I've been charged twice again, refund me", "What are your opening hours?"]
    )
    topics.assign([late_charge, late_question])
    assert Voice.objects.get(pk=late_charge.pk).topic_id == charges.pk
    assert Voice.objects.get(pk=late_question.pk).topic_id is None
