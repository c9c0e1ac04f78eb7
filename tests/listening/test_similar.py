"""Similar solved conversations (with the reply that solved them) and possible duplicates."""

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind, Status
from everydesk.listening import scorer, similar
from everydesk.listening.models import ConversationVector
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

CHARGED = "My card was charged twice for order 1042. Please refund the second payment."


def _open(customer, subject, body, **kw) -> Conversation:
    return actions.open_conversation(
        customer=customer, subject=subject, body=body, kind=Kind.COMPLAINT, **kw
    )


def _solve(conversation, agent, reply):
    actions.add_reply(conversation=conversation, author=agent, body=reply, status=Status.SOLVED)


@pytest.fixture
def history(agent, other_customer):
    """Two solved conversations: one about a double charge, one about a broken lamp."""
    charged = _open(
        other_customer, "Charged twice", "I was charged twice for my order, refund one."
    )
    lamp = _open(other_customer, "Lamp", "The lamp arrived with a cracked shade.")
    scorer.score_pending()
    actions.add_reply(conversation=charged, author=agent, body="Looking into it.")
    _solve(charged, agent, "We refunded the duplicate payment; it shows in 3 days.")
    _solve(lamp, agent, "A new shade is on its way.")
    return charged, lamp


def test_a_conversations_vector_is_the_mean_of_its_customer_messages(customer, scoring):
    conversation = _open(customer, "Two", "The lamp is broken.")
    actions.add_customer_message(conversation=conversation, customer=customer, body="Refund me.")
    scorer.score_pending()
    row = ConversationVector.objects.get(conversation=conversation)
    expected = similar.mean_vector(
        [bytes(v.embedding) for v in conversation.voices.order_by("created_at")]
    )
    import numpy as np

    assert row.voice_count == 2
    assert np.allclose(np.frombuffer(bytes(row.embedding), dtype=np.float32), expected)
    assert np.isclose(np.linalg.norm(expected), 1.0)


def test_similar_solved_conversations_come_with_the_reply_that_solved_them(
    agent, customer, history
):
    charged, _ = history
    new = _open(customer, "Double charge", CHARGED)
    scorer.score_pending()
    found = similar.similar_solved(agent, new)
    assert found[0].conversation == charged
    assert found[0].solution.body_text.startswith("We refunded the duplicate payment")
    assert found[0].similarity > found[-1].similarity or len(found) == 1
    assert new not in [item.conversation for item in found]


def test_open_conversations_are_not_offered_as_solutions(agent, customer, other_customer):
    _open(other_customer, "Charged twice", CHARGED)
    new = _open(customer, "Double charge", CHARGED)
    scorer.score_pending()
    assert similar.similar_solved(agent, new) == []


def test_the_index_sees_conversations_scored_after_it_loaded(agent, customer, history):
    first = _open(customer, "Double charge", CHARGED)
    scorer.score_pending()
    assert similar.similar_solved(agent, first)  # loads the index
    later = _open(customer, "Lamp again", "My new lamp also came with a cracked shade.")
    scorer.score_pending()
    _solve(later, agent, "Refunded in full.")
    newest = _open(customer, "Cracked", "The lamp shade is cracked.")
    scorer.score_pending()
    assert later in [item.conversation for item in similar.similar_solved(agent, newest)]


def test_people_only_see_similar_conversations_they_may_see(employee, customer, history):
    new = _open(customer, "Double charge", CHARGED, team=employee.teams.first())
    scorer.score_pending()
    assert similar.similar_solved(employee, new) == []  # history is on no team of Eve's


def test_the_same_customers_open_conversation_on_the_same_problem_is_a_possible_duplicate(
    agent, customer, other_customer
):
    first = _open(customer, "Charged twice", CHARGED)
    second = _open(customer, "Again", CHARGED + " I already wrote about this.")
    unrelated = _open(customer, "Lamp", "The lamp arrived with a cracked shade.")
    elsewhere = _open(other_customer, "Charged twice", CHARGED)
    scorer.score_pending()
    found = [c for c, _ in similar.possible_duplicates(agent, second)]
    assert found == [first]
    assert unrelated not in found and elsewhere not in found
    actions.change_status(conversation=first, actor=agent, status=Status.SOLVED)
    assert similar.possible_duplicates(agent, second) == []  # solved: no longer a duplicate


def test_the_sidebar_flags_the_duplicate_and_merges_it_in_one_click(client, agent, customer):
    first = _open(customer, "Charged twice", CHARGED)
    second = _open(customer, "Again", CHARGED + " I already wrote about this.")
    scorer.score_pending()
    client.force_login(agent)
    page = client.get(reverse("desk:conversation", args=[first.pk])).content.decode()
    assert "Possible duplicates" in page
    assert f"Merge #{second.pk} into this one" in page
    response = client.post(reverse("desk:merge", args=[second.pk]), {"target": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.voices.count() == 2
    assert not ConversationVector.objects.filter(conversation=second).exists()


def test_the_desk_lists_similar_solved_conversations(client, agent, customer, history):
    charged, _ = history
    new = _open(customer, "Double charge", CHARGED)
    scorer.score_pending()
    client.force_login(agent)
    url = reverse("desk:similar", args=[new.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'href="{reverse("desk:conversation", args=[charged.pk])}"' in partial
    assert "We refunded the duplicate payment" in partial
    assert client.get(url).status_code == 200


def test_similar_is_hidden_from_those_who_cannot_see_the_conversation(
    client, employee, customer, history
):
    new = _open(customer, "Double charge", CHARGED)
    client.force_login(employee)
    assert client.get(reverse("desk:similar", args=[new.pk])).status_code == 404


def test_the_api_lists_similar_and_duplicates_for_staff_only(client, agent, customer, history):
    charged, _ = history
    first = _open(customer, "Charged twice", CHARGED)
    second = _open(customer, "Again", CHARGED + " I already wrote about this.")
    scorer.score_pending()
    api = Api(client)
    body = api.get(f"/conversations/{second.pk}/similar", agent).json()
    assert body["similar"][0]["conversation"]["id"] == charged.pk
    assert body["similar"][0]["solution"]["body"].startswith("We refunded")
    assert [d["conversation"]["id"] for d in body["duplicates"]] == [first.pk]
    assert api.get(f"/conversations/{second.pk}/similar", customer).status_code == 403
    assert api.get("/conversations/999999/similar", agent).status_code == 404


def test_the_index_keeps_the_newest_vectors_within_its_bound(customer, settings):
    conversations = [_open(customer, f"Case {n}", f"Lamp number {n} is broken.") for n in range(6)]
    scorer.score_pending()
    for n, conversation in enumerate(conversations):  # make their ages distinct
        ConversationVector.objects.filter(conversation=conversation).update(
            updated_at=conversation.created_at.replace(year=2020, day=n + 1)
        )
    index = similar.VectorIndex(capacity=4)
    index.refresh()
    assert index.size == 4
    newest = {c.pk for c in conversations[2:]}
    vector = similar._vector_of(conversations[0])
    assert {cid for cid, _ in index.nearest(vector, 10)} == newest
