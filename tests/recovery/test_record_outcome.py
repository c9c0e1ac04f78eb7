"""Recording what came of a follow-up, from the desk page: on the timeline, and an
unhappy customer's complaint back in the queue."""

from everydesk.conversations.models import Channel, Conversation, EventType, Kind, Status
from everydesk.recovery.models import Contact, FollowUp, FollowUpStatus, Outcome


def _call() -> FollowUp:
    return FollowUp.objects.get(contact=Contact.CALL)


def _post(client, follow_up, **data):
    return client.post(f"/desk/follow-ups/{follow_up.pk}/outcome/", data)


def test_recording_an_outcome_marks_it_done_and_writes_the_timeline(
    client, conversation, agent, policy, solve
):
    solve(conversation, agent)
    client.force_login(agent)
    response = _post(client, _call(), outcome=Outcome.REACHED, note="Happy with the new lamp.")
    assert response.status_code == 302
    call = _call()
    assert (call.status, call.outcome, call.note, call.done_by) == (
        FollowUpStatus.DONE,
        Outcome.REACHED,
        "Happy with the new lamp.",
        agent,
    )
    event = conversation.events.get(type=EventType.FOLLOW_UP_DONE)
    assert event.actor == agent and event.data["note"] == "Happy with the new lamp."
    assert "Happy with the new lamp." in client.get(f"/desk/c/{conversation.pk}/").content.decode()


def test_an_unhappy_customer_reopens_a_solved_complaint(client, conversation, agent, policy, solve):
    solve(conversation, agent)
    client.force_login(agent)
    _post(client, _call(), outcome=Outcome.UNHAPPY, note="The new lamp is cracked too.")
    assert Conversation.objects.get(pk=conversation.pk).status == Status.OPEN
    assert _call().new_conversation is None


def test_an_unhappy_customer_of_a_closed_complaint_gets_a_new_one(
    client, conversation, agent, policy, solve
):
    solve(conversation, agent)
    solve(Conversation.objects.get(pk=conversation.pk), agent, Status.CLOSED)
    client.force_login(agent)
    _post(client, _call(), outcome=Outcome.UNHAPPY, note="The new lamp is cracked too.")
    new = _call().new_conversation
    assert new is not None and new.pk != conversation.pk
    assert (new.kind, new.channel, new.assignee, new.customer_id) == (
        Kind.COMPLAINT,
        Channel.PHONE,
        agent,
        conversation.customer_id,
    )
    assert new.messages.get().body_text == "The new lamp is cracked too."


def test_unhappy_without_a_note_is_refused_and_changes_nothing(
    client, conversation, agent, policy, solve
):
    solve(conversation, agent)
    client.force_login(agent)
    response = _post(client, _call(), outcome=Outcome.UNHAPPY, note="  ")
    assert response.status_code == 400
    assert "Write down what the customer is unhappy about." in response.content.decode()
    assert _call().status == FollowUpStatus.PENDING
    assert Conversation.objects.get(pk=conversation.pk).status == Status.SOLVED


def test_an_outcome_cannot_be_recorded_twice(client, conversation, agent, policy, solve):
    solve(conversation, agent)
    client.force_login(agent)
    _post(client, _call(), outcome=Outcome.NO_ANSWER)
    response = _post(client, _call(), outcome=Outcome.REACHED)
    assert response.status_code == 400
    assert "already done" in response.content.decode()
    assert _call().outcome == Outcome.NO_ANSWER


def test_an_employee_cannot_record_on_someone_elses(
    client, conversation, agent, employee, policy, solve
):
    solve(conversation, agent)
    client.force_login(employee)
    assert _post(client, _call(), outcome=Outcome.REACHED).status_code == 404
    assert _call().status == FollowUpStatus.PENDING
