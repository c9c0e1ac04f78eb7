import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import EventType, Priority
from everydesk.lib.errors import ActionError


def test_assign_records_old_and_new_assignee(conversation, agent, admin):
    actions.assign(conversation=conversation, actor=admin, assignee=agent)
    event = conversation.events.get(type=EventType.ASSIGNED)
    assert event.data == {"old": None, "new": "Alice"} or event.data["new"] == agent.display_name
    assert event.actor == admin


def test_only_staff_can_be_assignees(conversation, agent, customer):
    with pytest.raises(ActionError, match="staff"):
        actions.assign(conversation=conversation, actor=agent, assignee=customer.user)


def test_unchanged_values_write_no_event(conversation, agent):
    actions.change_priority(conversation=conversation, actor=agent, priority=conversation.priority)
    actions.set_team(conversation=conversation, actor=agent, team=None)
    assert not conversation.events.exclude(type=EventType.OPENED).exists()


def test_tags_are_normalised_and_the_change_is_audited(conversation, agent):
    actions.set_tags(conversation=conversation, actor=agent, names=[" Broken ", "courier", ""])
    actions.set_tags(conversation=conversation, actor=agent, names=["broken", "refund"])
    assert sorted(conversation.tags.values_list("name", flat=True)) == ["broken", "refund"]
    last = conversation.events.filter(type=EventType.TAGS_CHANGED).last()
    assert last.data == {"added": ["refund"], "removed": ["courier"]}


def test_priority_outside_the_scale_is_refused(conversation, agent):
    with pytest.raises(ActionError):
        actions.change_priority(conversation=conversation, actor=agent, priority=9)
    actions.change_priority(conversation=conversation, actor=agent, priority=Priority.URGENT)
    conversation.refresh_from_db()
    assert conversation.priority == Priority.URGENT
