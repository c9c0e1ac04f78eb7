"""GET /surveys: every invitation and its answer, for staff, filtered by kind and answer."""

import datetime as dt

import pytest
from django.utils import timezone

from everydesk.surveys.models import Survey, SurveyKind
from tests.api.conftest import error_of


@pytest.fixture
def surveys(customer, other_customer, conversation, other_conversation, billing, agent):
    now = timezone.now()
    other_conversation.team = billing
    other_conversation.save(update_fields=["team"])
    return {
        "answered_csat": Survey.objects.create(
            kind=SurveyKind.CSAT,
            customer=customer,
            conversation=conversation,
            agent=agent,
            sent_at=now - dt.timedelta(hours=3),
            answered_at=now,
            score=2,
            comment="Slow",
        ),
        "open_csat": Survey.objects.create(
            kind=SurveyKind.CSAT,
            customer=other_customer,
            conversation=other_conversation,
            team=billing,
            sent_at=now - dt.timedelta(hours=2),
        ),
        "nps": Survey.objects.create(
            kind=SurveyKind.NPS,
            customer=customer,
            sent_at=now - dt.timedelta(hours=1),
            answered_at=now,
            score=9,
        ),
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_staff_see_every_survey_newest_first(api, agent, surveys):
    response = api.get("/surveys", agent)
    assert _ids(response) == [surveys[k].pk for k in ("nps", "open_csat", "answered_csat")]
    item = response.json()["items"][2]
    assert item["score"] == 2 and item["comment"] == "Slow"
    assert item["conversation_id"] == surveys["answered_csat"].conversation_id
    assert item["agent_id"] == agent.pk and item["recovery_id"] is None


def test_filter_by_kind_and_answer(api, agent, surveys):
    assert _ids(api.get("/surveys", agent, kind="nps")) == [surveys["nps"].pk]
    assert _ids(api.get("/surveys", agent, kind="csat", answered="true")) == [
        surveys["answered_csat"].pk
    ]
    assert _ids(api.get("/surveys", agent, answered="false")) == [surveys["open_csat"].pk]


def test_an_unknown_kind_is_refused_with_a_message(api, agent, surveys):
    response = api.get("/surveys", agent, kind="stars")
    assert response.status_code == 422
    assert error_of(response)["details"][0]["field"] == "kind"


def test_pages_follow_on(api, agent, surveys):
    first = api.get("/surveys", agent, limit=2).json()
    second = api.get("/surveys", agent, limit=2, after=first["next"]).json()
    assert [i["id"] for i in first["items"] + second["items"]] == [
        surveys[k].pk for k in ("nps", "open_csat", "answered_csat")
    ]
    assert second["next"] is None


def test_employees_see_only_csat_of_conversations_they_see(api, employee, surveys):
    assert _ids(api.get("/surveys", employee)) == [surveys["open_csat"].pk]


def test_customers_cannot_list_surveys(api, customer, surveys):
    response = api.get("/surveys", customer)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_the_list_is_a_pinned_number_of_queries(
    api, agent, customer, surveys, django_assert_max_num_queries
):
    for _ in range(20):
        Survey.objects.create(kind=SurveyKind.NPS, customer=customer)
    api.get("/surveys", agent)  # the token's first use of the minute writes once
    with django_assert_max_num_queries(2):
        assert len(_ids(api.get("/surveys", agent))) == 23
