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


def _demo_complaints(per_topic: int) -> tuple[list[str], list[str]]:
    """Complaints in the demo's words (everydesk/demo/words.json), with varied details."""
    import json
    import random
    import re
    from pathlib import Path

    import everydesk.demo

    words = json.loads((Path(everydesk.demo.__file__).parent / "words.json").read_text())
    pick = random.Random(4)
    values = {
        "day": words["weekdays"],
        "courier": words["couriers"],
        "product": words["products"],
        "city": words["cities"],
        "colour": words["colours"],
        "size": words["sizes"],
        "company": words["companies"],
        "name": words["first_names"],
        "agent": words["first_names"],
    }

    def fill(text: str) -> str:
        return re.sub(
            r"\{(\w+)\}",
            lambda m: (
                pick.choice(values[m.group(1)])
                if m.group(1) in values
                else str(pick.randint(2, 2000))
            ),
            text,
        )

    texts, themes = [], []
    for theme, spec in words["topics"].items():
        for _ in range(per_topic):
            texts.append(fill(" ".join(pick.sample(spec["details"], 2))))
            themes.append(theme)
    return texts, themes


def test_real_embeddings_with_the_centre_keep_the_demos_five_kinds_of_complaint_apart():
    texts, themes = _demo_complaints(per_topic=topics.CENTRE_MIN_VOICES // 5 + 5)
    theme_of = dict(zip(texts, themes, strict=True))
    _voices(texts)
    report = regrouping.regroup()
    assert len(report.created) >= 4
    for topic in Topic.objects.filter(merged_into=None):
        found = [theme_of[text] for text in topic.voices.values_list("text", flat=True)]
        main = max(set(found), key=found.count)
        assert found.count(main) / len(found) >= 0.9, (topic.name, found)
    grouped = Voice.objects.exclude(topic=None).count()
    assert grouped >= len(texts) / 2
