"""approve and deny: one click each, decided once, notified both ways."""

from decimal import Decimal

import pytest

from everydesk.conversations.models import EventType, MessageKind
from everydesk.lib.errors import ActionError
from everydesk.notifications.models import Notification
from everydesk.playbook.actions import approve, deny, take_action
from everydesk.playbook.models import ActionStatus, Budget
from everydesk.webhooks.models import Delivery
from tests.playbook.conftest import refund_values


@pytest.fixture
def request_80(conversation, agent, refund, policies):
    return take_action(
        conversation=conversation,
        actor=agent,
        action_type=refund,
        amount="80",
        values=refund_values(),
        message="Good news: your refund of 80 EUR is approved.",
    )


def test_a_manager_approves_and_the_action_is_carried_out_from_their_budget(
    request_80, conversation, agent, manager, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(action=request_80, actor=manager)

    request_80.refresh_from_db()
    assert request_80.status == ActionStatus.DONE
    assert request_80.decided_by == manager
    assert Budget.objects.get(user=manager).used == Decimal("80.00")
    assert not Budget.objects.filter(user=agent, used__gt=0).exists()
    reply = conversation.messages.get(kind=MessageKind.REPLY)
    assert reply.author_user == agent
    event = conversation.events.get(type=EventType.ACTION_TAKEN)
    assert event.data["approved_by"] == manager.display_name
    assert Delivery.objects.get().payload["approved_by"] == manager.email
    assert Notification.objects.filter(user=agent, kind="approval_decided").exists()


def test_a_request_is_decided_only_once(request_80, manager, admin):
    approve(action=request_80, actor=manager)
    with pytest.raises(ActionError, match="already been decided"):
        approve(action=request_80, actor=admin)
    with pytest.raises(ActionError, match="already been decided"):
        deny(action=request_80, actor=admin, reason="Too late")
    assert Budget.objects.get(user=manager).used == Decimal("80.00")
    assert not Budget.objects.filter(user=admin).exists()


def test_an_agent_cannot_approve_beyond_their_own_limit(request_80, refund, conversation):
    from tests.conftest import _staff

    other = _staff("bob@staff.test", "agent", "Bob")
    with pytest.raises(ActionError, match="beyond your own limit"):
        approve(action=request_80, actor=other)
    request_80.refresh_from_db()
    assert request_80.status == ActionStatus.AWAITING_APPROVAL


def test_nobody_approves_their_own_request(conversation, manager, refund, policies):
    big = take_action(
        conversation=conversation,
        actor=manager,
        action_type=refund,
        amount="900",
        values=refund_values(),
    )
    with pytest.raises(ActionError, match="Someone else"):
        approve(action=big, actor=manager)


def test_deny_records_the_reason_and_tells_the_requester(request_80, conversation, agent, manager):
    with pytest.raises(ActionError, match="Say why"):
        deny(action=request_80, actor=manager, reason="  ")

    deny(action=request_80, actor=manager, reason="Offer a credit instead")

    request_80.refresh_from_db()
    assert request_80.status == ActionStatus.DENIED
    assert request_80.decision_reason == "Offer a credit instead"
    assert conversation.events.get(type=EventType.ACTION_DENIED).data["reason"] == (
        "Offer a credit instead"
    )
    note = Notification.objects.get(user=agent, kind="approval_decided")
    assert note.body == "Offer a credit instead"
    assert not conversation.messages.filter(kind=MessageKind.REPLY).exists()
