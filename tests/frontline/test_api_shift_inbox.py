"""The shift inbox in the API: /api/v1/shift, take-next and take."""

import pytest

from everydesk.conversations.models import Conversation, Kind
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_on_shift_the_list_shows_the_pool_best_first(api, employee, on_shift, customer, asked):
    shift = on_shift(employee)
    idea = asked(customer, "An idea", kind=Kind.IDEA)
    question = asked(customer, "A question")
    asked(customer, "Urgent", urgency=90)
    body = api.get("/shift", employee).json()
    assert body["shift"]["id"] == shift.pk
    assert [c["id"] for c in body["items"]] == [question.pk, idea.pk]
    assert body["next"] is None


def test_off_shift_the_list_is_empty_and_names_the_next_shift(api, employee, customer, asked):
    asked(customer)
    body = api.get("/shift", employee).json()
    assert body == {"shift": None, "next_shift": None, "items": [], "next": None}


def test_take_next_assigns_and_returns_the_conversation(api, employee, on_shift, customer, asked):
    on_shift(employee)
    question = asked(customer)
    response = api.post("/shift/take-next", employee)
    assert response.status_code == 200
    assert response.json()["conversation"]["id"] == question.pk
    assert response.json()["conversation"]["assignee"]["id"] == employee.pk
    assert Conversation.objects.get(pk=question.pk).assignee == employee
    assert api.post("/shift/take-next", employee).json() == {"conversation": None}


def test_take_next_off_shift_is_a_conflict_with_a_message(api, employee, customer, asked):
    asked(customer)
    response = api.post("/shift/take-next", employee)
    assert response.status_code == 409
    assert error_of(response)["message"] == "You are not on shift now."


def test_taking_one_someone_else_has_is_a_conflict(
    api, employee, colleague, on_shift, customer, asked
):
    on_shift(employee)
    on_shift(colleague)
    question = asked(customer)
    assert api.post(f"/shift/take/{question.pk}", colleague).status_code == 200
    response = api.post(f"/shift/take/{question.pk}", employee)
    assert response.status_code == 409
    assert Conversation.objects.get(pk=question.pk).assignee == colleague


def test_agents_and_customers_are_refused(api, agent, customer, on_shift):
    on_shift(agent)
    assert api.post("/shift/take-next", agent).status_code == 403
    assert api.get("/shift", customer).status_code == 403
