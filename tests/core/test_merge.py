import pytest

from everydesk.conversations import actions, search
from everydesk.conversations.models import Conversation, EventType, Status
from everydesk.lib.errors import ActionError


def test_merge_moves_messages_closes_source_and_points_to_target(conversation, customer, agent):
    source = actions.open_conversation(
        customer=customer, subject="Lamp again", body="Also the bulb flickers"
    )
    actions.merge(source=source, target=conversation, actor=agent)
    source.refresh_from_db()
    assert source.merged_into == conversation and source.status == Status.CLOSED
    assert source.messages.count() == 0
    assert conversation.messages.count() == 2
    assert conversation.events.filter(type=EventType.MERGED_FROM).exists()
    assert source.events.filter(type=EventType.MERGED_INTO).exists()


def test_merged_text_is_found_under_the_target(conversation, customer, agent):
    source = actions.open_conversation(customer=customer, subject="Bulb", body="flickering bulb")
    actions.merge(source=source, target=conversation, actor=agent)
    assert search.search(Conversation.objects.all(), "flickering", before=None, limit=5) == [
        conversation.pk
    ]


def test_conversations_of_different_customers_cannot_be_merged(
    conversation, other_conversation, agent
):
    with pytest.raises(ActionError, match="same customer"):
        actions.merge(source=other_conversation, target=conversation, actor=agent)
    assert other_conversation.messages.count() == 1


def test_a_merged_conversation_refuses_further_work(conversation, customer, agent):
    source = actions.open_conversation(customer=customer, subject="Dup", body="dup")
    actions.merge(source=source, target=conversation, actor=agent)
    with pytest.raises(ActionError, match="merged into"):
        actions.add_reply(conversation=source, author=agent, body="hello")
    with pytest.raises(ActionError):
        actions.merge(source=conversation, target=conversation, actor=agent)
