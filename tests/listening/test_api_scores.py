"""The API shows listening scores to staff tokens, never to customers."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Kind
from everydesk.listening import scorer
from everydesk.listening.models import Topic, Voice
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

ANGRY = "This is the third time I ask: cancel my account, my lawyer will call you."


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def scored(customer):
    conversation = actions.open_conversation(
        customer=customer, subject="Refund", body=ANGRY, kind=Kind.COMPLAINT
    )
    scorer.score_pending()
    return conversation


def test_staff_see_the_conversations_sentiment_and_urgency(api, agent, scored):
    voice = Voice.objects.get()
    detail = api.get(f"/conversations/{scored.pk}", agent).json()
    assert detail["sentiment"] == pytest.approx(voice.sentiment, abs=1e-3)
    assert detail["urgency"] == voice.urgency > 0
    listed = api.get("/conversations", agent).json()["items"][0]
    assert (listed["sentiment"], listed["urgency"]) == (detail["sentiment"], detail["urgency"])


def test_staff_see_each_customer_messages_scores(api, agent, customer, scored, scoring):
    topic = Topic.objects.create(name="Refunds")
    Voice.objects.update(topic=topic)
    actions.add_reply(conversation=scored, author=agent, body="Refund sent.")
    actions.add_customer_message(conversation=scored, customer=customer, body="Got it, thanks!")
    items = api.get(f"/conversations/{scored.pk}/messages", agent).json()["items"]
    first, reply, fresh = items
    voice = Voice.objects.get(message_id=first["id"])
    assert first["scores"] == {
        "sentiment": pytest.approx(voice.sentiment),
        "sentiment_label": voice.sentiment_label,
        "kind": voice.kind,
        "kind_confidence": pytest.approx(voice.kind_confidence),
        "urgency": voice.urgency,
        "urgency_signals": voice.urgency_signals,
        "language": voice.language,
        "topic": {"id": topic.pk, "name": "Refunds"},
        "model_version": scoring.MODEL_VERSION,
    }
    assert reply["scores"] is None  # replies are not scored
    assert fresh["scores"] is None  # not scored yet


def test_customers_see_no_scores(api, customer, scored):
    detail = api.get(f"/conversations/{scored.pk}", customer).json()
    assert (detail["sentiment"], detail["urgency"]) == (None, None)
    items = api.get(f"/conversations/{scored.pk}/messages", customer).json()["items"]
    assert [item["scores"] for item in items] == [None]


def test_the_message_list_stays_a_fixed_number_of_queries(
    api, agent, customer, scored, django_assert_num_queries
):
    api.get(f"/conversations/{scored.pk}/messages", agent)
    with django_assert_num_queries(5) as few:
        api.get(f"/conversations/{scored.pk}/messages", agent)
    for n in range(6):
        actions.add_customer_message(conversation=scored, customer=customer, body=f"Hello {n}?")
    scorer.score_pending()
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(f"/conversations/{scored.pk}/messages", agent)
    assert all(item["scores"] for item in response.json()["items"])
