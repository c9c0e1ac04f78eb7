"""take_action: inside the limits it is done at once, above them it asks for approval."""

from decimal import Decimal

import pytest

from everydesk.conversations.models import EventType, MessageKind
from everydesk.lib.errors import ActionError
from everydesk.notifications.models import Notification
from everydesk.playbook.actions import take_action
from everydesk.playbook.models import ActionPolicy, ActionStatus, Budget, TakenAction
from everydesk.webhooks.models import Delivery
from tests.playbook.conftest import refund_values


def _refund(conversation, actor, refund, amount, message=""):
    return take_action(
        conversation=conversation,
        actor=actor,
        action_type=refund,
        amount=amount,
        values=refund_values(),
        message=message,
    )


def test_refund_within_the_limit_is_done_recorded_replied_and_sent_on(
    conversation, agent, refund, policies, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = _refund(conversation, agent, refund, "25.00", "Your 25 EUR are on their way back.")

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.amount == Decimal("25.00")
    assert action.values == {"order": "1042", "reason": "Lamp arrived cracked"}
    reply = conversation.messages.get(kind=MessageKind.REPLY)
    assert reply.body_text == "Your 25 EUR are on their way back."
    assert reply.author_user == agent
    event = conversation.events.get(type=EventType.ACTION_TAKEN)
    assert event.data["label"] == "Refund of 25.00 EUR"
    delivery = Delivery.objects.get()
    assert delivery.event == "playbook.action.taken"
    assert delivery.idempotency_key == f"playbook-action-{action.pk}"
    assert delivery.payload["amount"] == "25.00"
    assert delivery.payload["customer"]["email"] == "carol@example.com"
    assert Budget.objects.get(user=agent).used == Decimal("25.00")


def test_refund_above_the_limit_per_action_asks_the_managers(
    conversation, agent, manager, refund, policies, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = _refund(conversation, agent, refund, "80", "Your refund is being approved.")

    assert action.status == ActionStatus.AWAITING_APPROVAL
    assert not conversation.messages.filter(kind=MessageKind.REPLY).exists()
    assert not Delivery.objects.exists()
    assert conversation.events.filter(type=EventType.ACTION_REQUESTED).exists()
    note = Notification.objects.get(user=manager, kind="approval_requested")
    assert "Refund of 80.00 EUR" in note.title
    assert not Notification.objects.filter(user=agent).exists()
    assert not Budget.objects.filter(used__gt=0).exists()


def test_what_would_pass_the_monthly_budget_asks_for_approval(
    conversation, agent, refund, policies
):
    for _ in range(2):
        assert _refund(conversation, agent, refund, "45").status == ActionStatus.DONE

    third = _refund(conversation, agent, refund, "15")

    assert third.status == ActionStatus.AWAITING_APPROVAL
    assert Budget.objects.get(user=agent).used == Decimal("90.00")
    assert _refund(conversation, agent, refund, "10").status == ActionStatus.DONE


def test_an_employee_acts_within_the_smaller_team_policy(conversation, employee, refund, policies):
    assert _refund(conversation, employee, refund, "20").status == ActionStatus.DONE
    assert _refund(conversation, employee, refund, "21").status == ActionStatus.AWAITING_APPROVAL


def test_someone_no_policy_covers_is_refused_and_nothing_is_written(
    conversation, admin, refund, policies
):
    with pytest.raises(ActionError, match="You may not take “Refund”"):
        _refund(conversation, admin, refund, "5")
    assert not TakenAction.objects.exists()


def test_a_policy_for_another_tier_does_not_apply(conversation, agent, refund, vip):
    policy = ActionPolicy.objects.create(action_type=refund, roles=["agent"])
    policy.tiers.add(vip)
    with pytest.raises(ActionError):
        _refund(conversation, agent, refund, "5")
    conversation.customer.tier = vip
    conversation.customer.save(update_fields=["tier"])
    assert _refund(conversation, agent, refund, "5").status == ActionStatus.DONE


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "as a number"),
        ("-3", "more than zero"),
        ("0", "more than zero"),
        ("1.234", "two decimals"),
    ],
)
def test_a_bad_amount_is_refused_with_a_reason(
    conversation, agent, refund, policies, amount, message
):
    with pytest.raises(ActionError, match=message) as refused:
        _refund(conversation, agent, refund, amount)
    assert refused.value.field == "amount"
    assert not TakenAction.objects.exists()


def test_a_missing_required_field_is_refused(conversation, agent, refund, policies):
    with pytest.raises(ActionError, match="Reason is required") as refused:
        take_action(
            conversation=conversation, actor=agent, action_type=refund, amount="5", values={}
        )
    assert refused.value.field == "reason"
    assert not Budget.objects.filter(used__gt=0).exists()
