"""GET /search: full-text search for staff, within what each may see."""

import datetime as dt

import pytest
from django.db import connection

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from tests.api.conftest import error_of


@pytest.fixture
def invoice(customer):
    return actions.open_conversation(
        customer=customer, subject="Invoice question", body="I was charged twice for the parcel."
    )


def found(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_staff_find_conversations_by_their_words(api, agent, conversation, invoice):
    assert found(api.get("/search", agent, q="crushed")) == [conversation.pk]
    assert found(api.get("/search", agent, q="parcel")) == [invoice.pk, conversation.pk]


def test_filters_narrow_the_results(api, agent, billing, vip, customer, conversation, invoice):
    actions.set_team(conversation=invoice, actor=agent, team=billing)
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)

    def search(**params):
        return found(api.get("/search", agent, q="parcel", **params))

    assert search(team_id=billing.pk) == [invoice.pk]
    assert search(status="solved") == [conversation.pk]
    assert search(kind="complaint") == [conversation.pk]
    assert search(unassigned="true") == [invoice.pk, conversation.pk]
    assert search(assignee_id=agent.pk) == []
    assert search(tier="vip") == []
    customer.tier = vip
    customer.save(update_fields=["tier"])
    assert search(tier="vip") == [invoice.pk, conversation.pk]
    today = dt.date.today().isoformat()
    assert search(created_from=today, created_to=today) == [invoice.pk, conversation.pk]
    assert search(created_to="2000-01-01") == []


def test_results_page_with_the_next_cursor(api, agent, customer):
    opened = [
        actions.open_conversation(customer=customer, subject=f"Lamp {n}", body="lamp")
        for n in range(25)
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": 10, **({"after": cursor} if cursor else {})}
        body = api.get("/search", agent, q="lamp", **params).json()
        seen += [item["id"] for item in body["items"]]
        if not (cursor := body["next"]):
            break
    assert seen == sorted((c.pk for c in opened), reverse=True)


def test_employee_finds_only_what_they_may_see(
    api, agent, employee, billing, conversation, invoice
):
    actions.set_team(conversation=invoice, actor=agent, team=billing)
    assert found(api.get("/search", employee, q="parcel")) == [invoice.pk]


def test_customers_cannot_search(api, customer, conversation):
    # The search document holds internal notes; a customer could probe them by word.
    response = api.get("/search", customer, q="parcel")
    assert response.status_code == 403
    assert "items" not in response.json()


def test_empty_query_is_a_400_and_missing_query_a_422(api, agent):
    response = api.get("/search", agent, q=" * ")
    assert response.status_code == 400
    assert error_of(response)["code"] == "empty_query"
    assert api.get("/search", agent).status_code == 422


def test_unknown_tier_and_bad_cursor_are_refused(api, agent):
    response = api.get("/search", agent, q="lamp", tier="platinum")
    assert (response.status_code, error_of(response)["details"][0]["field"]) == (400, "tier")
    response = api.get("/search", agent, q="lamp", after="x1")
    assert error_of(response)["code"] == "bad_cursor"


def test_results_cost_a_fixed_number_of_queries(api, agent, customer, django_assert_num_queries):
    for number in range(20):
        conversation = actions.open_conversation(
            customer=customer, subject=f"Lamp {number}", body="lamp"
        )
        actions.set_tags(conversation=conversation, actor=agent, names=["lamp"])
    api.get("/me", agent)
    # token, search, conversations with related rows, tags; PostgreSQL also reads the
    # newest id to bound its first pass (search/postgres.py)
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 4):
        assert len(found(api.get("/search", agent, q="lamp"))) == 20
