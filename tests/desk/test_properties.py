from django.urls import reverse

from everydesk.accounts.models import Team
from everydesk.conversations import actions
from everydesk.conversations.models import Event, EventType, Kind, Priority, Status


def props_url(conversation) -> str:
    return reverse("desk:properties", args=[conversation.pk])


def form_data(conversation, **changes) -> dict:
    """What the page posts: each field with its shown value in `initial-<name>`."""
    shown = {
        "status": conversation.status,
        "priority": str(conversation.priority),
        "kind": conversation.kind,
        "assignee": str(conversation.assignee_id or ""),
        "team": str(conversation.team_id or ""),
        "tags": ", ".join(conversation.tags.values_list("name", flat=True)),
    }
    data = {**shown, **{f"initial-{name}": value for name, value in shown.items()}}
    data.update({name: str(value) for name, value in changes.items()})
    return data


def event_types(conversation) -> list[str]:
    return list(
        Event.objects.filter(conversation=conversation)
        .exclude(type=EventType.OPENED)
        .values_list("type", flat=True)
    )


def test_agent_changes_every_property(signed_in, agent, employee, billing, conversation):
    data = form_data(
        conversation,
        status=Status.PENDING,
        priority=Priority.URGENT,
        kind=Kind.QUESTION,
        assignee=employee.pk,
        team=billing.pk,
        tags="Refund, damaged ,refund",
    )
    response = signed_in(agent).post(props_url(conversation), data)
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.PENDING
    assert conversation.priority == Priority.URGENT
    assert conversation.kind == Kind.QUESTION
    assert conversation.assignee == employee
    assert conversation.team == billing
    assert sorted(conversation.tags.values_list("name", flat=True)) == ["damaged", "refund"]


def test_only_changed_fields_are_written(signed_in, agent, conversation):
    signed_in(agent).post(props_url(conversation), form_data(conversation, priority=Priority.HIGH))
    assert event_types(conversation) == [EventType.PRIORITY_CHANGED]


def test_saving_an_old_form_does_not_undo_a_colleagues_change(
    signed_in, agent, admin, conversation
):
    stale = form_data(conversation, priority=Priority.LOW)
    # A colleague solves it while Alice still has the old page open.
    actions.change_status(conversation=conversation, actor=admin, status=Status.SOLVED)
    signed_in(agent).post(props_url(conversation), stale)
    conversation.refresh_from_db()
    assert conversation.status == Status.SOLVED
    assert conversation.priority == Priority.LOW


def test_unassigning_and_clearing_the_team(signed_in, agent, billing, conversation):
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    conversation.refresh_from_db()
    signed_in(agent).post(props_url(conversation), form_data(conversation, assignee="", team=""))
    conversation.refresh_from_db()
    assert conversation.assignee is None and conversation.team is None


def test_a_customer_cannot_be_made_assignee(signed_in, agent, customer, conversation):
    response = signed_in(agent).post(
        props_url(conversation), form_data(conversation, assignee=customer.user.pk)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.assignee is None


def test_a_bad_value_changes_nothing_at_all(signed_in, agent, conversation):
    data = form_data(conversation, priority=Priority.URGENT, status="lost")
    response = signed_in(agent).post(props_url(conversation), data)
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.priority == Priority.NORMAL
    assert event_types(conversation) == []


def test_action_error_is_shown_and_nothing_is_kept(
    signed_in, agent, customer, conversation, open_for
):
    target = open_for(customer, "Main")
    actions.merge(source=conversation, target=target, actor=agent)
    before = event_types(conversation)
    data = form_data(conversation, tags="late", status=Status.OPEN)
    response = signed_in(agent).post(props_url(conversation), data)
    assert response.status_code == 400
    assert f"merged into #{target.pk}" in response.content.decode()
    # The tags were written first, then the status refused: the transaction undid both.
    assert event_types(conversation) == before
    assert not conversation.tags.filter(name="late").exists()


def test_employee_who_moves_it_away_from_their_team_lands_in_the_inbox(
    signed_in, employee, agent, billing, conversation
):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    shipping = Team.objects.create(name="Shipping")
    client = signed_in(employee)
    response = client.post(props_url(conversation), form_data(conversation, team=shipping.pk))
    assert response["Location"] == reverse("desk:inbox")
    conversation.refresh_from_db()
    assert conversation.team == shipping
    assert "no longer have access" in client.get(response["Location"]).content.decode()


def test_htmx_save_returns_the_block(signed_in, agent, conversation):
    response = signed_in(agent).post(
        props_url(conversation), form_data(conversation, kind=Kind.IDEA), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Changes saved." in html
    assert "Alice changed kind from Complaint to Idea" in html


def test_employee_outside_the_team_cannot_change_anything(signed_in, employee, conversation):
    response = signed_in(employee).post(
        props_url(conversation), form_data(conversation, priority=1)
    )
    assert response.status_code == 404
    conversation.refresh_from_db()
    assert conversation.priority == Priority.NORMAL


def test_a_deactivated_assignee_is_kept_when_other_fields_change(
    signed_in, agent, employee, conversation
):
    actions.assign(conversation=conversation, actor=agent, assignee=employee)
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    client = signed_in(agent)
    page = client.get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    assert f'<option value="{employee.pk}" selected>Eve (deactivated)</option>' in page

    response = client.post(props_url(conversation), form_data(conversation, priority=1))
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == employee and conversation.priority == Priority.URGENT
