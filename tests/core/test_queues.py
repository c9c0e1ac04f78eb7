import pytest

from everydesk.conversations import actions, queues
from everydesk.conversations.models import Status


def test_views_split_open_conversations(conversation, other_conversation, agent, billing):
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    actions.set_team(conversation=other_conversation, actor=agent, team=billing)
    assert list(queues.queue(agent, "mine")) == [conversation]
    assert list(queues.queue(agent, "unassigned")) == [other_conversation]
    assert list(queues.queue(agent, f"team-{billing.pk}")) == [other_conversation]
    assert queues.queue(agent, "open").count() == 2


def test_solved_conversations_leave_the_inbox(conversation, agent):
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    assert not queues.queue(agent, "open").exists()


def test_unknown_view_is_refused(agent):
    with pytest.raises(queues.UnknownView):
        queues.queue(agent, "everything")


def test_count_is_capped(conversation, agent, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 0)
    assert queues.capped_count(queues.queue(agent, "open")) == 1


def test_employee_sees_views_only_for_their_teams(employee, billing, agent):
    other = billing.__class__.objects.create(name="Shipping")
    keys = [view.key for view in queues.views_for(employee)]
    assert f"team-{billing.pk}" in keys and f"team-{other.pk}" not in keys
    assert f"team-{other.pk}" in [view.key for view in queues.views_for(agent)]
