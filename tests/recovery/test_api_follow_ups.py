"""GET /api/v1/follow-ups and POST /api/v1/follow-ups/{id}/outcome."""

from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.conversations.models import Conversation, EventType, Status
from everydesk.recovery.models import Contact, FollowUp, FollowUpStatus, Outcome


@pytest.fixture
def scheduled(conversation, employee, policy, solve):
    solve(conversation, employee)
    call = FollowUp.objects.get(contact=Contact.CALL)
    FollowUp.objects.filter(pk=call.pk).update(due_at=timezone.now() - timedelta(hours=1))
    return FollowUp.objects.order_by("due_at")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_list_is_soonest_first_and_filters_what_is_due(api, agent, scheduled):
    call, email = scheduled
    assert _ids(api.get("/follow-ups", agent)) == [call.pk, email.pk]
    assert _ids(api.get("/follow-ups", agent, due="true")) == [call.pk]
    assert _ids(api.get("/follow-ups", agent, due="false")) == [email.pk]
    item = api.get("/follow-ups", agent, due="true").json()["items"][0]
    assert (item["contact"], item["is_due"], item["owner"]["name"]) == ("call", True, "Eve")
    assert item["conversation_id"] == call.conversation_id


def test_the_owner_filter_takes_me_or_an_id(api, agent, employee, scheduled):
    assert _ids(api.get("/follow-ups", agent, owner="me")) == []
    assert len(_ids(api.get("/follow-ups", agent, owner=str(employee.pk)))) == 2
    assert api.get("/follow-ups", agent, owner="someone").status_code == 422


def test_pages_follow_the_cursor(api, agent, scheduled):
    first = api.get("/follow-ups", agent, limit=1).json()
    second = api.get("/follow-ups", agent, limit=1, after=first["next"]).json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [f.pk for f in scheduled]


def test_an_employee_sees_only_their_own(api, employee, agent, scheduled):
    call, email = scheduled
    FollowUp.objects.filter(pk=email.pk).update(owner=agent)
    assert _ids(api.get("/follow-ups", employee)) == [call.pk]
    assert api.get(f"/follow-ups/{email.pk}", employee).status_code == 404


def test_a_customer_sees_nothing(api, customer, scheduled):
    assert _ids(api.get("/follow-ups", customer)) == []
    call = scheduled.first()
    assert api.get(f"/follow-ups/{call.pk}", customer).status_code == 404
    response = api.post(f"/follow-ups/{call.pk}/outcome", customer, {"outcome": "reached"})
    assert response.status_code == 404
    assert FollowUp.objects.get(pk=call.pk).status == FollowUpStatus.PENDING


def test_recording_an_outcome(api, employee, conversation, scheduled):
    call = scheduled.first()
    response = api.post(
        f"/follow-ups/{call.pk}/outcome",
        employee,
        {"outcome": "unhappy", "note": "Wants a refund, not a replacement."},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["outcome"]) == ("done", "unhappy")
    assert Conversation.objects.get(pk=conversation.pk).status == Status.OPEN
    done = conversation.events.get(type=EventType.FOLLOW_UP_DONE)
    assert done.actor == employee and done.data["outcome"] == "Customer unhappy"


def test_bad_outcomes_get_a_clear_message_and_change_nothing(api, employee, scheduled):
    call = scheduled.first()
    unknown = api.post(f"/follow-ups/{call.pk}/outcome", employee, {"outcome": "maybe"})
    assert unknown.status_code == 422
    silent = api.post(f"/follow-ups/{call.pk}/outcome", employee, {"outcome": "unhappy"})
    assert silent.status_code == 400
    assert silent.json()["error"]["message"] == "Write down what the customer is unhappy about."
    assert FollowUp.objects.get(pk=call.pk).status == FollowUpStatus.PENDING


def test_recording_twice_is_a_conflict(api, employee, scheduled):
    call = scheduled.first()
    url = f"/follow-ups/{call.pk}/outcome"
    assert api.post(url, employee, {"outcome": Outcome.NO_ANSWER}).status_code == 200
    again = api.post(url, employee, {"outcome": Outcome.REACHED})
    assert again.status_code == 409
    assert FollowUp.objects.get(pk=call.pk).outcome == Outcome.NO_ANSWER


def test_the_list_query_count_is_pinned(api, agent, scheduled, django_assert_max_num_queries):
    api.get("/follow-ups", agent)
    # token + owner, the page with customers, tiers and owners joined
    with django_assert_max_num_queries(3):
        assert api.get("/follow-ups", agent).status_code == 200
