"""GET and POST /api/v1/actions: the ledger by person, team and period, and taking one."""

import datetime as dt

from django.utils import timezone

from everydesk.playbook.actions import take_action
from everydesk.playbook.models import TakenAction
from tests.api.conftest import error_of
from tests.playbook.conftest import refund_values


def _take(conversation, who, refund, amount):
    return take_action(
        conversation=conversation,
        actor=who,
        action_type=refund,
        amount=amount,
        values=refund_values(),
    )


def test_a_manager_lists_everyones_actions_by_person_team_and_period(
    api,
    manager,
    agent,
    employee,
    billing,
    conversation,
    refund,
    policies,
    django_assert_max_num_queries,
):
    mine = _take(conversation, agent, refund, "10")
    eves = _take(conversation, employee, refund, "5")
    old = _take(conversation, agent, refund, "7")
    TakenAction.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=120))

    with django_assert_max_num_queries(4):
        everyone = api.get("/actions", manager).json()["items"]
    assert [item["id"] for item in everyone] == [eves.pk, mine.pk, old.pk]
    assert everyone[0]["amount"] == "5.00"
    assert [i["id"] for i in api.get("/actions", manager, actor=agent.pk).json()["items"]] == [
        mine.pk,
        old.pk,
    ]
    assert [i["id"] for i in api.get("/actions", manager, team=billing.pk).json()["items"]] == [
        eves.pk
    ]
    this_month = api.get("/actions", manager, period="month", actor=agent.pk).json()["items"]
    assert [i["id"] for i in this_month] == [mine.pk]


def test_an_agent_sees_only_their_own_actions(api, agent, employee, conversation, refund, policies):
    mine = _take(conversation, agent, refund, "10")
    _take(conversation, employee, refund, "5")

    items = api.get("/actions", agent, actor=employee.pk).json()["items"]
    assert items == []
    assert [i["id"] for i in api.get("/actions", agent).json()["items"]] == [mine.pk]


def test_customers_cannot_list_actions(api, customer):
    assert error_of(api.get("/actions", customer))["status"] == 403


def test_taking_an_action_by_api_goes_through_the_same_limits(
    api, agent, conversation, refund, policies
):
    body = {
        "conversation_id": conversation.pk,
        "type": "refund",
        "amount": "60",
        "values": refund_values(),
    }
    response = api.post("/actions", agent, body)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "awaiting_approval"
    refused = api.post("/actions", agent, {**body, "amount": "5", "values": {}})
    assert refused.status_code == 400
    assert error_of(refused)["details"] == [{"field": "reason", "message": "Reason is required."}]


def test_a_customer_cannot_take_actions_on_anything(api, customer, conversation, refund, policies):
    body = {
        "conversation_id": conversation.pk,
        "type": "refund",
        "amount": "5",
        "values": refund_values(),
    }
    assert api.post("/actions", customer, body).status_code == 403
    assert not TakenAction.objects.exists()
