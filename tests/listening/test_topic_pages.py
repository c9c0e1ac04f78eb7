"""The topic pages: for admins and managers only; list, topic, and every edit form."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from everydesk.listening import topics
from everydesk.listening.models import Topic, TopicChange, TopicVolume, Voice
from tests.api.conftest import Api
from tests.listening.conftest import make_topic, make_voice, near

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunds(customer, conversation):
    topic = make_topic(0, name="refund · charged twice")
    now = timezone.now()
    voices = [
        make_voice(
            f"Charged twice for order {n}",
            near(0),
            at=now - dt.timedelta(days=n),
            customer=customer,
            conversation=conversation,
        )
        for n in range(4)
    ]
    old = make_voice("Charged twice last month", near(0), at=now - dt.timedelta(days=10))
    topics.assign([*voices, old])
    topic.refresh_from_db()
    return topic


def test_a_manager_sees_topics_with_their_weekly_trend(client, manager, refunds):
    client.force_login(manager)
    page = client.get(reverse("desk:topics"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "refund · charged twice" in html
    rows = dict(page.context["rows"])
    trend = rows[refunds]
    assert (trend.volume, trend.previous) == (4, 1)
    assert trend.sentiment == -0.5
    assert 'href="/desk/topics/"' in html  # the nav link


def test_a_topic_page_shows_examples_linked_to_conversations_and_a_chart(
    client, admin, refunds, conversation
):
    client.force_login(admin)
    page = client.get(reverse("desk:topic", args=[refunds.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Charged twice for order 0" in html
    assert reverse("desk:conversation", args=[conversation.pk]) in html
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "<script" not in chart and "Voices per day" in chart
    assert "Mean sentiment per day" in html


@pytest.mark.parametrize("who", ["agent", "employee", "customer"])
def test_everyone_else_gets_not_found(client, request, who, refunds):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    for url in (
        reverse("desk:topics"),
        reverse("desk:topic", args=[refunds.pk]),
        reverse("desk:alerts"),
    ):
        assert client.get(url).status_code == 404
    response = client.post(reverse("desk:topic_rename", args=[refunds.pk]), {"name": "Mine"})
    assert response.status_code == 404
    assert Topic.objects.get(pk=refunds.pk).name == "refund · charged twice"


def test_the_nav_hides_topics_from_agents(client, agent):
    client.force_login(agent)
    assert 'href="/desk/topics/"' not in client.get(reverse("desk:inbox")).content.decode()


def test_rename_through_the_page(client, manager, refunds):
    client.force_login(manager)
    response = client.post(reverse("desk:topic_rename", args=[refunds.pk]), {"name": "Refunds"})
    assert response.status_code == 302
    refunds.refresh_from_db()
    assert refunds.name == "Refunds" and refunds.named_by_person
    assert TopicChange.objects.get(topic=refunds, action="renamed").actor == manager


def test_an_empty_name_shows_the_error_and_keeps_the_topic(client, manager, refunds):
    client.force_login(manager)
    response = client.post(reverse("desk:topic_rename", args=[refunds.pk]), {"name": " "})
    assert response.status_code == 400
    assert "Give the topic a name." in response.content.decode()
    assert Topic.objects.get(pk=refunds.pk).name == "refund · charged twice"


def test_pin_merge_split_and_move_through_the_page(client, manager, refunds):
    client.force_login(manager)
    other = make_topic(1, name="parcels")
    topics.assign([make_voice("crushed parcel", near(1)), make_voice("parcel wet", near(1))])
    assert (
        client.post(reverse("desk:topic_pin", args=[other.pk]), {"pinned": "1"}).status_code == 302
    )
    assert Topic.objects.get(pk=other.pk).is_pinned

    voice = Voice.objects.filter(topic=refunds).first()
    moved = client.post(
        reverse("desk:topic_move", args=[refunds.pk]), {"voices": [voice.pk], "name": "Order 0"}
    )
    assert moved.status_code == 302
    new = Topic.objects.get(name="Order 0")
    assert Voice.objects.get(pk=voice.pk).topic == new

    split = client.post(reverse("desk:topic_split", args=[refunds.pk]), {"parts": "9"})
    assert split.status_code == 400 and "Split into 2 to 8 parts." in split.content.decode()

    merged = client.post(reverse("desk:topic_merge", args=[new.pk]), {"target": refunds.pk})
    assert merged.status_code == 302
    assert Topic.objects.get(pk=new.pk).merged_into_id == refunds.pk
    assert sum(TopicVolume.objects.filter(topic=refunds).values_list("count", flat=True)) == 5
    bad = client.post(reverse("desk:topic_merge", args=[other.pk]), {"target": "x"})
    assert bad.status_code == 400 and "Choose the topic to merge into." in bad.content.decode()


def _queries(get, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert get(url).status_code == 200
    return len(captured)


def test_the_lists_cost_the_same_queries_for_two_topics_or_eight(client, manager):
    client.force_login(manager)
    api = Api(Client())
    api_get = lambda path: api.get(path, manager)  # noqa: E731
    api_get("/topics")  # the token's first use of the minute is a write; not counted
    for theme in range(2):
        make_topic(theme)
        topics.assign([make_voice("late parcel", near(theme))])
    few = _queries(client.get, reverse("desk:topics")), _queries(api_get, "/topics")
    for theme in range(2, 8):
        make_topic(theme)
        topics.assign([make_voice("late parcel", near(theme))])
    many = _queries(client.get, reverse("desk:topics")), _queries(api_get, "/topics")
    assert few == many
