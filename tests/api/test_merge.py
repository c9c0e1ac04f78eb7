"""POST /conversations/{id}/merge folds one conversation into another of the same customer."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Status


@pytest.fixture
def duplicate(customer):
    return actions.open_conversation(
        customer=customer, subject="Broken lamp again", body="Writing a second time about the lamp."
    )


def test_staff_merge_a_duplicate(api, agent, conversation, duplicate):
    response = api.post(f"/conversations/{duplicate.pk}/merge", agent, {"into": conversation.pk})
    assert response.status_code == 200
    assert response.json()["id"] == conversation.pk
    duplicate.refresh_from_db()
    assert (duplicate.merged_into, duplicate.status) == (conversation, Status.CLOSED)
    assert conversation.messages.count() == 2


def test_customer_cannot_merge(api, customer, conversation, duplicate):
    response = api.post(f"/conversations/{duplicate.pk}/merge", customer, {"into": conversation.pk})
    assert response.status_code == 403
    assert Conversation.objects.get(pk=duplicate.pk).merged_into is None


def test_merging_into_an_invisible_conversation_is_a_404(
    api, employee, agent, billing, conversation, duplicate
):
    actions.set_team(conversation=duplicate, actor=agent, team=billing)
    response = api.post(f"/conversations/{duplicate.pk}/merge", employee, {"into": conversation.pk})
    assert response.status_code == 404
    assert str(conversation.pk) in response.json()["error"]["message"]


def test_merging_into_itself_is_refused(api, agent, conversation):
    response = api.post(f"/conversations/{conversation.pk}/merge", agent, {"into": conversation.pk})
    assert response.status_code == 400


def test_merging_different_customers_is_a_conflict(api, agent, conversation, other_conversation):
    response = api.post(
        f"/conversations/{conversation.pk}/merge", agent, {"into": other_conversation.pk}
    )
    assert response.status_code == 409
