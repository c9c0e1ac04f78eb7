"""GET /topics, GET /topics/{id} and PATCH /topics/{id}: admins and managers only."""

import pytest

from everydesk.listening import topics
from everydesk.listening.models import Topic, TopicChange
from tests.api.conftest import error_of
from tests.listening.conftest import make_topic, make_voice, near

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunds():
    topic = make_topic(0, name="refund · charged twice", keywords=["charged twice", "refund"])
    topics.assign([make_voice("charged twice", near(0)) for _ in range(3)])
    return topic


def test_a_manager_lists_topics_with_their_figures(api, manager, refunds):
    merged = make_topic(1, merged_into=refunds)
    response = api.get("/topics", manager)
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    [item] = body["items"]
    assert item["id"] == refunds.pk and item["voice_count"] == 3
    assert item["keywords"] == ["charged twice", "refund"]
    assert (item["last_7_days"], item["previous_7_days"]) == (3, 0)
    assert item["sentiment_7_days"] == -0.5
    ids = [t["id"] for t in api.get("/topics", manager, merged="true").json()["items"]]
    assert ids == [refunds.pk, merged.pk]


def test_topics_come_page_by_page(api, admin):
    made = [make_topic(i) for i in range(3)]
    first = api.get("/topics", admin, limit=2).json()
    second = api.get("/topics", admin, limit=2, after=first["next"]).json()
    assert [t["id"] for t in first["items"] + second["items"]] == [t.pk for t in made]


def test_one_topic(api, admin, refunds):
    response = api.get(f"/topics/{refunds.pk}", admin)
    assert response.status_code == 200 and response.json()["name"] == "refund · charged twice"
    assert error_of(api.get("/topics/999999", admin))["code"] == "not_found"


def test_patch_renames_and_pins_with_an_audit(api, manager, refunds):
    response = api.patch(f"/topics/{refunds.pk}", manager, {"name": "Refunds", "is_pinned": True})
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["named_by_person"], body["is_pinned"]) == ("Refunds", True, True)
    actions = set(TopicChange.objects.filter(topic=refunds).values_list("action", flat=True))
    assert actions == {"renamed", "pinned"}


def test_patch_refuses_bad_input_in_the_one_error_shape(api, manager, refunds):
    empty = api.patch(f"/topics/{refunds.pk}", manager, {"name": "  "})
    assert empty.status_code == 400
    assert error_of(empty)["details"] == [{"field": "name", "message": "Give the topic a name."}]
    null = api.patch(f"/topics/{refunds.pk}", manager, {"is_pinned": None})
    assert null.status_code == 422 and error_of(null)["details"][0]["field"] == "is_pinned"
    extra = api.patch(f"/topics/{refunds.pk}", manager, {"colour": "red"})
    assert extra.status_code == 422
    assert Topic.objects.get(pk=refunds.pk).name == "refund · charged twice"


def test_patch_of_a_merged_topic_is_a_conflict(api, manager, refunds):
    other = make_topic(1, merged_into=refunds)
    response = api.patch(f"/topics/{other.pk}", manager, {"name": "Gone"})
    assert response.status_code == 409 and error_of(response)["code"] == "conflict"


@pytest.mark.parametrize("who", ["agent", "employee", "customer"])
def test_everyone_else_gets_not_found(api, request, who, refunds):
    user = request.getfixturevalue(who)
    assert api.get("/topics", user).status_code == 404
    assert error_of(api.get(f"/topics/{refunds.pk}", user))["code"] == "not_found"
    assert api.patch(f"/topics/{refunds.pk}", user, {"name": "Mine"}).status_code == 404
    assert Topic.objects.get(pk=refunds.pk).name == "refund · charged twice"
