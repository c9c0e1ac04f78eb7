"""Snoozing a follow-up and giving it to someone else, from its desk page."""

from datetime import timedelta

from django.utils import timezone

from everydesk.conversations.models import EventType
from everydesk.recovery.models import Contact, FollowUp


def _call() -> FollowUp:
    return FollowUp.objects.get(contact=Contact.CALL)


def test_snoozing_moves_the_due_time_and_notifies_again_then(
    client, conversation, agent, policy, solve
):
    solve(conversation, agent)
    FollowUp.objects.update(notified_at=timezone.now())
    until = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    client.force_login(agent)
    response = client.post(
        f"/desk/follow-ups/{_call().pk}/snooze/", {"until": until.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    call = _call()
    assert (call.due_at, call.notified_at) == (until, None)
    assert conversation.events.filter(type=EventType.FOLLOW_UP_SNOOZED).count() == 1


def test_snoozing_into_the_past_is_refused(client, conversation, agent, policy, solve):
    solve(conversation, agent)
    before = _call().due_at
    client.force_login(agent)
    response = client.post(f"/desk/follow-ups/{_call().pk}/snooze/", {"until": "2020-01-01T09:00"})
    assert response.status_code == 400
    assert "Snooze to a time in the future." in response.content.decode()
    assert _call().due_at == before


def test_an_agent_reassigns_a_follow_up_to_an_employee_who_then_sees_it(
    client, conversation, agent, employee, policy, solve
):
    solve(conversation, agent)
    client.force_login(agent)
    response = client.post(f"/desk/follow-ups/{_call().pk}/reassign/", {"owner": employee.pk})
    assert response.status_code == 302
    assert _call().owner == employee
    event = conversation.events.get(type=EventType.FOLLOW_UP_REASSIGNED)
    assert (event.data["old"], event.data["new"]) == ("Alice", "Eve")
    client.force_login(employee)
    assert client.get(f"/desk/follow-ups/{_call().pk}/").status_code == 200


def test_a_follow_up_cannot_go_to_a_customer(client, conversation, customer, agent, policy, solve):
    solve(conversation, agent)
    client.force_login(agent)
    response = client.post(f"/desk/follow-ups/{_call().pk}/reassign/", {"owner": customer.user.pk})
    assert response.status_code == 400
    assert _call().owner == agent
