"""GET /conversations: what each person may see, filters, inbox views and pages."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind, Priority, Status
from tests.api.conftest import error_of


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_agent_and_admin_see_every_conversation(
    api, agent, admin, conversation, other_conversation
):
    for user in (agent, admin):
        assert set(ids(api.get("/conversations", user))) == {conversation.pk, other_conversation.pk}


def test_customer_sees_only_their_own(api, customer, conversation, other_conversation):
    assert ids(api.get("/conversations", customer)) == [conversation.pk]


def test_customer_filtering_by_another_customer_still_sees_nothing_of_theirs(
    api, customer, other_customer, conversation, other_conversation
):
    assert ids(api.get("/conversations", customer, customer_id=other_customer.pk)) == []


def test_employee_sees_only_what_is_theirs_or_their_teams(
    api, agent, employee, billing, customer, conversation, other_conversation
):
    assert ids(api.get("/conversations", employee)) == []
    teams = actions.open_conversation(customer=customer, subject="Invoice", body="Charged twice")
    actions.set_team(conversation=teams, actor=agent, team=billing)
    actions.assign(conversation=other_conversation, actor=agent, assignee=employee)
    assert set(ids(api.get("/conversations", employee))) == {teams.pk, other_conversation.pk}


def test_newest_activity_comes_first(api, agent, conversation, other_conversation):
    actions.add_note(conversation=conversation, author=agent, body="bumps updated_at")
    assert ids(api.get("/conversations", agent)) == [conversation.pk, other_conversation.pk]


def test_filters_narrow_the_list(
    api, agent, billing, customer, other_customer, conversation, other_conversation
):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    actions.assign(conversation=other_conversation, actor=agent, assignee=agent)
    actions.change_status(conversation=other_conversation, actor=agent, status=Status.PENDING)

    def listed(**params):
        return ids(api.get("/conversations", agent, **params))

    assert listed(status="pending") == [other_conversation.pk]
    assert listed(kind="complaint") == [conversation.pk]
    assert listed(team_id=billing.pk) == [conversation.pk]
    assert listed(assignee_id=agent.pk) == [other_conversation.pk]
    assert listed(unassigned="true") == [conversation.pk]
    assert listed(customer_id=other_customer.pk) == [other_conversation.pk]
    assert listed(kind="praise") == []


def test_inbox_view_lists_open_conversations_by_priority_then_age(
    api, agent, customer, conversation
):
    urgent = actions.open_conversation(
        customer=customer, subject="Fire", body="Help", priority=Priority.URGENT
    )
    done = actions.open_conversation(
        customer=customer, subject="Thanks", body="All good", kind=Kind.PRAISE
    )
    actions.change_status(conversation=done, actor=agent, status=Status.SOLVED)
    assert ids(api.get("/conversations", agent, view="open")) == [urgent.pk, conversation.pk]
    assert ids(api.get("/conversations", agent, view="unassigned", kind="complaint")) == [
        conversation.pk
    ]
    assert ids(api.get("/conversations", agent, view="mine")) == []


def test_team_view_for_an_employee_is_limited_to_what_they_see(
    api, agent, employee, billing, conversation, other_conversation
):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    assert ids(api.get("/conversations", employee, view=f"team-{billing.pk}")) == [conversation.pk]


def test_unknown_view_is_refused(api, agent):
    response = api.get("/conversations", agent, view="everything")
    assert response.status_code == 422
    assert error_of(response)["details"] == [
        {"field": "view", "message": "Use mine, unassigned, open or team-<id>."}
    ]


@pytest.mark.parametrize("limit", [0, 101, "ten"])
def test_limit_out_of_range_is_refused(api, agent, limit):
    response = api.get("/conversations", agent, limit=limit)
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "limit"


@pytest.mark.parametrize("params", [{}, {"view": "open"}])
def test_pages_walk_every_conversation_once(api, agent, customer, params):
    for number in range(25):
        actions.open_conversation(
            customer=customer, subject=f"Case {number}", body="text", priority=1 + number % 4
        )
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 10, **params, **({"after": cursor} if cursor else {})}
        body = api.get("/conversations", agent, **query).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(Conversation.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == 25


def test_each_item_carries_its_customer_assignee_team_and_tags(
    api, agent, billing, vip, customer, conversation
):
    customer.tier = vip
    customer.save(update_fields=["tier"])
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    actions.set_tags(conversation=conversation, actor=agent, names=["lamp", "damaged"])
    item = api.get("/conversations", agent).json()["items"][0]
    assert item["customer"] == {
        "id": customer.pk,
        "email": "carol@example.com",
        "name": "Carol Jones",
        "tier": "vip",
    }
    assert item["assignee"] == {"id": agent.pk, "name": "Alice"}
    assert item["team"] == {"id": billing.pk, "name": "Billing"}
    assert item["tags"] == ["damaged", "lamp"]
    assert item["created_at"].endswith("Z")


def test_customers_are_not_shown_internal_tags_or_team(api, agent, billing, customer, conversation):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    actions.set_tags(conversation=conversation, actor=agent, names=["difficult"])
    item = api.get("/conversations", customer).json()["items"][0]
    assert (item["tags"], item["team"]) == ([], None)


def test_list_costs_the_same_few_queries_however_long(
    api, agent, admin, billing, vip, customer, django_assert_num_queries
):
    customer.tier = vip
    customer.save(update_fields=["tier"])
    for number in range(30):
        conversation = actions.open_conversation(
            customer=customer, subject=f"n{number}", body="text"
        )
        actions.assign(conversation=conversation, actor=admin, assignee=agent)
        actions.set_team(conversation=conversation, actor=admin, team=billing)
        actions.set_tags(conversation=conversation, actor=admin, names=["a", "b"])
    api.get("/me", agent)  # records the token's first use, a write outside the pin
    # token, page (with customer, tier, assignee, team), tags
    with django_assert_num_queries(3):
        assert len(api.get("/conversations", agent, limit=30).json()["items"]) == 30
