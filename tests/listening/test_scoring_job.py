"""The scoring job: scores every unscored voice, then feeds the conversation's mood,
kind and priority, never overriding what a person chose."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Channel, Conversation, Event, EventType, Kind, Priority
from everydesk.desk import timeline
from everydesk.listening import scorer
from everydesk.listening.models import ConversationVector, Voice

pytestmark = pytest.mark.django_db

ANGRY = (
    "This is the third time I ask. If my refund is not here by Friday I will cancel "
    "my account and my lawyer will hear about it."
)


def _open(customer, body, *, kind=Kind.OTHER, capture=None, **options) -> Conversation:
    return actions.open_conversation(
        customer=customer, subject="Help", body=body, kind=kind, channel=Channel.EMAIL, **options
    )


def test_committing_a_message_scores_it_at_once(
    customer, scoring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = _open(customer, "My parcel arrived broken and I am angry.")
    voice = Voice.objects.get()
    assert voice.scored_at is not None and voice.score_error == ""
    assert voice.model_version == scoring.MODEL_VERSION
    assert voice.sentiment_label == "negative" and voice.sentiment < 0
    assert voice.kind == "complaint"
    assert len(voice.embedding) == 4 * scoring.EMBEDDING_DIM
    conversation.refresh_from_db()
    assert conversation.sentiment == pytest.approx(voice.sentiment, abs=1e-3)
    assert ConversationVector.objects.filter(conversation=conversation).exists()


def test_the_job_scores_everything_unscored_in_batches(customer):
    for n in range(7):
        _open(customer, f"Question number {n}: where is my order?")
    assert scorer.score_pending(batch_size=3) == 7
    assert not Voice.objects.filter(scored_at__isnull=True).exists()
    assert scorer.score_pending(batch_size=3) == 0


def test_running_twice_changes_nothing(customer):
    conversation = _open(customer, ANGRY)
    scorer.score_pending()
    first = list(Voice.objects.values_list("scored_at", "sentiment", "urgency"))
    events = Event.objects.filter(conversation=conversation).count()
    scorer.score_pending()
    assert list(Voice.objects.values_list("scored_at", "sentiment", "urgency")) == first
    assert Event.objects.filter(conversation=conversation).count() == events


def test_a_text_the_models_choke_on_is_marked_and_the_others_scored(customer, scoring, monkeypatch):
    real = scoring.score_texts

    def choke(texts):
        if any("POISON" in text for text in texts):
            raise RuntimeError("cannot read this")
        return real(texts)

    monkeypatch.setattr(scoring, "score_texts", choke)
    _open(customer, "Thanks, the new lamp is great.")
    _open(customer, "POISON pill")
    _open(customer, "Where is my invoice?")
    assert scorer.score_pending() == 3
    bad = Voice.objects.get(text="POISON pill")
    assert bad.scored_at is not None and "cannot read this" in bad.score_error
    assert bad.sentiment is None
    good = Voice.objects.exclude(pk=bad.pk)
    assert all(v.score_error == "" and v.sentiment is not None for v in good)
    assert scorer.score_pending() == 0  # the bad one does not come back every sweep


def test_an_email_of_kind_other_gets_its_kind_from_listening(customer):
    conversation = _open(customer, "My parcel arrived broken and I am angry.")
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.kind == Kind.COMPLAINT
    event = Event.objects.get(conversation=conversation, type=EventType.KIND_SCORED)
    assert event.actor is None
    assert timeline.describe(event).text == "Kind set by listening from Other to Complaint"


def test_a_kind_the_customer_chose_is_kept(customer):
    conversation = _open(customer, "My parcel arrived broken and I am angry.", kind=Kind.QUESTION)
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.kind == Kind.QUESTION
    assert not Event.objects.filter(type=EventType.KIND_SCORED).exists()


def test_a_kind_a_person_set_back_to_other_is_kept(customer, agent):
    conversation = _open(customer, "Thanks, the lamp is great.", kind=Kind.PRAISE)
    actions.change_kind(conversation=conversation, actor=agent, kind=Kind.OTHER)
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.kind == Kind.OTHER


def test_urgent_words_raise_the_priority_with_the_reasons_on_the_timeline(customer, scoring):
    conversation = _open(customer, ANGRY)
    scorer.score_pending()
    conversation.refresh_from_db()
    voice = Voice.objects.get()
    assert voice.urgency >= 70 and voice.urgency_signals
    assert (conversation.priority, conversation.urgency) == (Priority.URGENT, voice.urgency)
    event = Event.objects.get(conversation=conversation, type=EventType.PRIORITY_RAISED)
    assert event.actor is None
    labels = [scoring.URGENCY_SIGNAL_LABELS[code].lower() for code in voice.urgency_signals]
    assert timeline.describe(event).text == "Raised to urgent: " + ", ".join(labels)


def test_a_calm_message_leaves_the_priority_alone(customer):
    conversation = _open(customer, "Could you tell me when the shop opens?")
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.priority == Priority.NORMAL
    assert not Event.objects.filter(type=EventType.PRIORITY_RAISED).exists()


def test_listening_never_lowers_a_priority(customer, agent):
    conversation = _open(
        customer, "Could you tell me when the shop opens?", priority=Priority.URGENT
    )
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.priority == Priority.URGENT


def test_a_priority_a_person_set_is_never_touched(customer, agent):
    conversation = _open(customer, "Where is my parcel?")
    actions.change_priority(conversation=conversation, actor=agent, priority=Priority.LOW)
    actions.add_customer_message(conversation=conversation, customer=customer, body=ANGRY)
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.priority == Priority.LOW
    assert conversation.urgency >= 70  # still shown, just not acted on


def test_staff_who_opened_it_with_a_priority_chose_it(customer, agent):
    conversation = _open(customer, ANGRY, priority=Priority.LOW, opened_by=agent)
    scorer.score_pending()
    conversation.refresh_from_db()
    assert conversation.priority == Priority.LOW


def test_the_mood_follows_the_latest_customer_message(customer):
    conversation = _open(customer, "My parcel arrived broken and I am angry.")
    scorer.score_pending()
    actions.add_customer_message(
        conversation=conversation, customer=customer, body="Thanks, the replacement is great!"
    )
    scorer.score_pending()
    conversation.refresh_from_db()
    latest = Voice.objects.order_by("-created_at").first()
    assert latest.sentiment_label == "positive"
    assert conversation.sentiment == pytest.approx(latest.sentiment, abs=1e-3)


def test_topics_are_assigned_with_the_scored_voices(customer, monkeypatch):
    seen = []
    monkeypatch.setattr("everydesk.listening.topics.assign", lambda voices: seen.extend(voices))
    _open(customer, "Where is my parcel?")
    _open(customer, "Where is my invoice?")
    scorer.score_pending()
    assert sorted(v.text for v in seen) == ["Where is my invoice?", "Where is my parcel?"]
    assert all(v.scored_at for v in seen)


def test_shares_split_the_work_without_overlap(customer):
    for n in range(6):
        _open(customer, f"Where is order {n}?")
    first = scorer.score_pending(share=(0, 2))
    assert first == Voice.objects.filter(scored_at__isnull=False).count() == 3
    assert all(v.pk % 2 == 0 for v in Voice.objects.filter(scored_at__isnull=False))
    assert scorer.score_pending(share=(1, 2)) == 3
    assert not Voice.objects.filter(scored_at__isnull=True).exists()
