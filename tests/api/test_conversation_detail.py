"""GET and PATCH /conversations/{id}: read it if you may see it; change it if you may work it."""

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Event, EventType, Status
from tests.api.conftest import error_of


def test_staff_read_a_conversation_with_its_summary(api, agent, billing, conversation):
    actions.set_tags(conversation=conversation, actor=agent, names=["lamp"])
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    body = api.get(f"/conversations/{conversation.pk}", agent).json()
    assert body["id"] == conversation.pk
    assert body["subject"] == "My parcel arrived broken"
    assert body["customer"]["email"] == "carol@example.com"
    assert (body["tags"], body["team"]["name"], body["assignee"]) == (["lamp"], "Billing", None)


def test_customer_reads_their_own(api, customer, conversation):
    assert api.get(f"/conversations/{conversation.pk}", customer).status_code == 200


def test_customer_cannot_read_another_customers_conversation(api, customer, other_conversation):
    response = api.get(f"/conversations/{other_conversation.pk}", customer)
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such conversation."


def test_employee_cannot_read_a_conversation_outside_their_teams(api, employee, conversation):
    assert api.get(f"/conversations/{conversation.pk}", employee).status_code == 404


def test_patch_applies_only_the_fields_sent_and_audits_each(
    api, agent, employee, billing, conversation
):
    response = api.patch(
        f"/conversations/{conversation.pk}",
        agent,
        {
            "status": "pending",
            "assignee_id": employee.pk,
            "tags": ["Refund", "lamp"],
        },
    )
    assert response.status_code == 200, response.content
    conversation.refresh_from_db()
    assert (conversation.status, conversation.assignee, conversation.priority) == (
        Status.PENDING,
        employee,
        3,
    )
    assert conversation.kind == "complaint" and conversation.team is None
    assert sorted(conversation.tags.values_list("name", flat=True)) == ["lamp", "refund"]
    audited = set(
        Event.objects.filter(conversation=conversation, actor=agent).values_list("type", flat=True)
    )
    assert audited == {EventType.STATUS_CHANGED, EventType.ASSIGNED, EventType.TAGS_CHANGED}
    body = response.json()
    assert (body["status"], body["assignee"]["id"], body["tags"]) == (
        "pending",
        employee.pk,
        ["lamp", "refund"],
    )


def test_patch_changes_priority_kind_and_team(api, agent, billing, conversation):
    api.patch(
        f"/conversations/{conversation.pk}",
        agent,
        {"priority": 1, "kind": "question", "team_id": billing.pk},
    )
    conversation.refresh_from_db()
    assert (conversation.priority, conversation.kind, conversation.team) == (1, "question", billing)


def test_null_unassigns_and_clears_the_team(api, agent, billing, conversation):
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    api.patch(f"/conversations/{conversation.pk}", agent, {"assignee_id": None, "team_id": None})
    conversation.refresh_from_db()
    assert conversation.assignee is None and conversation.team is None


def test_empty_patch_changes_nothing(api, agent, conversation):
    before = Event.objects.count()
    assert api.patch(f"/conversations/{conversation.pk}", agent, {}).status_code == 200
    assert Event.objects.count() == before


def test_a_refused_field_undoes_the_whole_patch(api, agent, customer, conversation):
    response = api.patch(
        f"/conversations/{conversation.pk}",
        agent,
        {"status": "solved", "assignee_id": customer.user.pk},
    )
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "assignee_id"
    conversation.refresh_from_db()
    assert conversation.status == Status.NEW


def test_null_is_refused_for_fields_that_cannot_be_empty(api, agent, conversation):
    response = api.patch(f"/conversations/{conversation.pk}", agent, {"status": None})
    assert response.status_code == 422
    assert error_of(response)["details"] == [
        {
            "field": "status",
            "message": "This field cannot be null; leave it out to keep it as it is.",
        }
    ]


def test_changing_a_merged_conversation_is_a_conflict(api, agent, customer, conversation):
    other = actions.open_conversation(customer=customer, subject="Again", body="Same lamp")
    actions.merge(source=conversation, target=other, actor=agent)
    response = api.patch(f"/conversations/{conversation.pk}", agent, {"status": "open"})
    assert response.status_code == 409


def test_customer_cannot_change_their_own_conversation(api, customer, conversation):
    response = api.patch(f"/conversations/{conversation.pk}", customer, {"status": "closed"})
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == Status.NEW


def test_customer_cannot_change_anothers_and_learns_nothing(api, customer, other_conversation):
    response = api.patch(f"/conversations/{other_conversation.pk}", customer, {"priority": 1})
    assert response.status_code == 404
    assert Conversation.objects.get(pk=other_conversation.pk).priority == 3


def test_employee_works_their_teams_conversations_only(
    api, agent, employee, billing, conversation, other_conversation
):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    assert (
        api.patch(f"/conversations/{conversation.pk}", employee, {"status": "open"}).status_code
        == 200
    )
    assert (
        api.patch(
            f"/conversations/{other_conversation.pk}", employee, {"status": "open"}
        ).status_code
        == 404
    )
