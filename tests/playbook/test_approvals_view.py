"""/desk/approvals/: the requests a person may grant, with one-click approve and deny."""

from everydesk.notifications.models import Notification
from everydesk.playbook.actions import take_action
from everydesk.playbook.models import ActionStatus
from tests.playbook.conftest import refund_values


def _ask(conversation, agent, refund, amount="80"):
    return take_action(
        conversation=conversation,
        actor=agent,
        action_type=refund,
        amount=amount,
        values=refund_values(),
    )


def test_a_manager_sees_and_approves_a_request_in_one_click(
    client, manager, agent, conversation, refund, policies, django_assert_max_num_queries
):
    waiting = [_ask(conversation, agent, refund) for _ in range(3)]
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        page = client.get("/desk/approvals/").content.decode()
    assert page.count("Refund 80.00 EUR") == 3

    response = client.post(f"/desk/approvals/{waiting[0].pk}/approve/")

    assert response.status_code == 302
    waiting[0].refresh_from_db()
    assert waiting[0].status == ActionStatus.DONE
    assert client.get("/desk/approvals/").content.decode().count("Refund 80.00 EUR") == 2


def test_deny_needs_a_reason(client, manager, agent, conversation, refund, policies):
    request = _ask(conversation, agent, refund)
    client.force_login(manager)
    client.post(f"/desk/approvals/{request.pk}/deny/", {"reason": ""})
    request.refresh_from_db()
    assert request.status == ActionStatus.AWAITING_APPROVAL

    client.post(f"/desk/approvals/{request.pk}/deny/", {"reason": "Offer a credit"})
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (ActionStatus.DENIED, "Offer a credit")


def test_an_agent_sees_no_request_above_their_own_limit_and_cannot_approve_it(
    client, agent, employee, conversation, refund, policies
):
    request = _ask(conversation, employee, refund, amount="60")  # above the agents' 50 too
    client.force_login(agent)
    assert "Nothing is waiting for you" in client.get("/desk/approvals/").content.decode()
    assert client.post(f"/desk/approvals/{request.pk}/approve/").status_code == 404
    request.refresh_from_db()
    assert request.status == ActionStatus.AWAITING_APPROVAL


def test_requests_on_conversations_you_cannot_see_are_not_shown_or_decidable(
    client, agent, employee, billing, conversation, refund, policies
):
    _ask(conversation, agent, refund, amount="45")
    _ask(conversation, agent, refund, amount="45")
    # 15 is past what Alice has left; Eve (Billing, 20 a time) could grant it, but the
    # conversation is not Billing's, so she is neither asked nor shown it.
    waiting = _ask(conversation, agent, refund, amount="15")
    assert waiting.status == ActionStatus.AWAITING_APPROVAL
    assert not Notification.objects.filter(user=employee).exists()
    client.force_login(employee)
    assert "Nothing is waiting for you" in client.get("/desk/approvals/").content.decode()
    assert client.post(f"/desk/approvals/{waiting.pk}/approve/").status_code == 404

    conversation.team = billing
    conversation.save(update_fields=["team"])
    assert f"request-{waiting.pk}" in client.get("/desk/approvals/").content.decode()
