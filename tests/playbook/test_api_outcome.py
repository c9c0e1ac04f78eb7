"""POST /api/v1/actions/{id}/outcome: the other system reports back, with its token."""

from decimal import Decimal

import pytest

from everydesk.conversations.models import EventType
from everydesk.playbook.actions import take_action
from everydesk.playbook.models import ActionStatus, Budget
from tests.api.conftest import error_of
from tests.playbook.conftest import refund_values


@pytest.fixture
def done(conversation, agent, refund, policies):
    return take_action(
        conversation=conversation,
        actor=agent,
        action_type=refund,
        amount="30",
        values=refund_values(),
    )


def test_the_integration_reports_completion_and_it_shows_on_the_timeline(
    api, admin, done, conversation
):
    response = api.post(
        f"/actions/{done.pk}/outcome", admin, {"status": "completed", "reference": "RF-77"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "completed"
    done.refresh_from_db()
    assert (done.outcome, done.outcome_reference, done.status) == ("completed", "RF-77", "done")
    event = conversation.events.get(type=EventType.ACTION_OUTCOME)
    assert event.data["note"] == "ref. RF-77"


def test_a_failure_gives_the_budget_back(api, admin, agent, done):
    response = api.post(
        f"/actions/{done.pk}/outcome", admin, {"status": "failed", "message": "Card expired"}
    )

    assert response.status_code == 200
    done.refresh_from_db()
    assert done.status == ActionStatus.FAILED
    assert Budget.objects.get(user=agent).used == Decimal("0.00")


def test_a_retried_report_changes_nothing_and_a_different_one_is_refused(api, admin, agent, done):
    first = {"status": "failed", "reference": "X1"}
    assert api.post(f"/actions/{done.pk}/outcome", admin, first).status_code == 200
    assert api.post(f"/actions/{done.pk}/outcome", admin, first).status_code == 200
    assert Budget.objects.get(user=agent).used == Decimal("0.00")

    response = api.post(f"/actions/{done.pk}/outcome", admin, {"status": "completed"})
    assert response.status_code == 409
    assert "already reported" in error_of(response)["message"]


def test_only_an_admin_token_reports_outcomes(api, agent, customer, done):
    assert (
        api.post(f"/actions/{done.pk}/outcome", agent, {"status": "completed"}).status_code == 403
    )
    assert (
        api.post(f"/actions/{done.pk}/outcome", customer, {"status": "completed"}).status_code
        == 403
    )
    done.refresh_from_db()
    assert done.outcome == ""


def test_unknown_actions_and_bad_statuses_are_refused_with_a_message(api, admin, done):
    assert (
        error_of(api.post("/actions/999999/outcome", admin, {"status": "completed"}))["status"]
        == 404
    )
    response = api.post(f"/actions/{done.pk}/outcome", admin, {"status": "sort of"})
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "status"
