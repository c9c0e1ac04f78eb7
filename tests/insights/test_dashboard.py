"""The managers' dashboard: figures, filters, comparison, permissions, query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.insights import rollups
from everydesk.listening.models import Alert, Topic, TopicVolume
from tests.insights.conftest import scored_voice

pytestmark = pytest.mark.django_db
URL = "/desk/insights/"


def open_on(customer, days_ago: int, **fields) -> Conversation:
    conversation = actions.open_conversation(
        customer=customer,
        subject="Help",
        body="Something is wrong.",
        kind=fields.pop("kind", Kind.QUESTION),
    )
    moment = timezone.now() - timedelta(days=days_ago)
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=moment, updated_at=moment, **fields
    )
    return conversation


def card(response, label: str) -> str:
    for c in response.context["cards"]:
        if c.label == label:
            return c.value
    raise AssertionError(label)


def test_manager_sees_volume_and_comparison_with_the_previous_period(client, manager, customer):
    for days_ago in (0, 1, 2):
        open_on(customer, days_ago)
    open_on(customer, 9)  # in the previous seven days
    rollups.rebuild()
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.opened.current, figures.opened.previous) == (3, 1)
    assert card(response, "Conversations opened") == "3"
    assert "+200% on the previous period" in response.content.decode()
    assert "<svg" in response.content.decode()
    assert card(response, "Customer satisfaction (CSAT)") == "\N{EN DASH}"  # no surveys yet


def test_date_range_presets_and_custom_range(client, manager, customer):
    open_on(customer, 0)
    open_on(customer, 20)
    open_on(customer, 60)
    rollups.rebuild()
    client.force_login(manager)
    assert client.get(URL, {"range": "30"}).context["figures"].opened.current == 2
    assert client.get(URL, {"range": "90"}).context["figures"].opened.current == 3
    start = (timezone.localdate() - timedelta(days=61)).isoformat()
    end = (timezone.localdate() - timedelta(days=59)).isoformat()
    response = client.get(URL, {"range": "custom", "start": start, "end": end})
    assert response.context["figures"].opened.current == 1
    assert response.context["figures"].period.days == 3


def test_bad_custom_range_is_a_form_error(client, manager):
    client.force_login(manager)
    response = client.get(URL, {"range": "custom", "start": "2026-05-10", "end": "2026-05-01"})
    assert response.status_code == 400
    assert "The start date must not be after the end date." in response.content.decode()
    response = client.get(URL, {"range": "custom", "start": "2026-05-10"})
    assert "needs both a start and an end date" in response.content.decode()


def test_team_and_tier_filters(client, manager, customer, other_customer, billing, vip):
    other_customer.tier = vip
    other_customer.save(update_fields=["tier"])
    open_on(customer, 0, team=billing)
    open_on(customer, 0)
    open_on(other_customer, 1)
    rollups.rebuild()
    client.force_login(manager)
    assert client.get(URL, {"team": billing.pk}).context["figures"].opened.current == 1
    assert client.get(URL, {"tier": vip.pk}).context["figures"].opened.current == 1
    assert (
        client.get(URL, {"team": billing.pk, "tier": vip.pk}).context["figures"].opened.current == 0
    )
    assert client.get(URL).context["figures"].opened.current == 3


def test_response_times_median_and_average(client, manager, agent, customer):
    conversation = open_on(customer, 0)
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    actions.add_reply(conversation=conversation, author=agent, body="Looking into it.")
    rollups.rebuild()
    client.force_login(manager)
    figures = client.get(URL).context["figures"]
    assert figures.first_response_average.current == pytest.approx(1800, abs=5)
    # The median is read from 15-30 min and 30-60 min buckets: about half an hour.
    assert 900 <= figures.first_response_median.current <= 3600


def test_topics_movers_alerts_and_praise(client, manager, agent, customer):
    conversation = open_on(customer, 0)
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    rollups.refresh()
    scored_voice(
        conversation,
        text="Alice was wonderful, thank you!",
        created_at=timezone.now() - timedelta(hours=1),
    )
    rollups.refresh(now=timezone.now() + timedelta(hours=2))
    delivery = Topic.objects.create(name="late delivery")
    refunds = Topic.objects.create(name="refunds")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    TopicVolume.objects.create(topic=delivery, hour=hour - timedelta(hours=1), count=40)
    TopicVolume.objects.create(topic=delivery, hour=hour - timedelta(days=8), count=5)
    TopicVolume.objects.create(topic=refunds, hour=hour - timedelta(days=9), count=12)
    rollups.topics_changed([delivery.pk, refunds.pk])
    alert = Alert.objects.create(
        topic=delivery,
        window_start=hour - timedelta(hours=3),
        window_end=hour,
        observed=40,
        expected=4.5,
        score=0.001,
    )
    client.force_login(manager)
    response = client.get(URL)
    figures = response.context["figures"]
    assert [(t.name, t.count, t.previous) for t in figures.top_topics] == [("late delivery", 40, 5)]
    assert [(t.name, t.change) for t in figures.movers] == [("late delivery", 35), ("refunds", -12)]
    page = response.content.decode()
    assert f'href="/desk/alerts/{alert.pk}/"' in page
    assert "Alice was wonderful" in page and "for Alice" in page
    assert f'href="/desk/c/{conversation.pk}/"' in page


@pytest.mark.parametrize("who", ["agent", "employee"])
def test_staff_without_insights_get_404(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "digest/").status_code == 404
    assert client.get(URL + "digest.pdf").status_code == 404


def test_customer_gets_404_and_anonymous_is_asked_to_sign_in(client, customer):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(customer.user)
    assert client.get(URL).status_code == 404


def test_admin_sees_the_dashboard_and_the_nav_link(client, admin, agent):
    client.force_login(admin)
    assert client.get(URL).status_code == 200
    assert 'href="/desk/insights/"' in client.get("/desk/").content.decode()
    client.force_login(agent)
    assert 'href="/desk/insights/"' not in client.get("/desk/").content.decode()


def test_query_count_is_pinned(client, manager, customer, billing):
    for days_ago in range(5):
        conversation = open_on(customer, days_ago, team=billing)
    scored_voice(conversation, created_at=timezone.now() - timedelta(days=1))
    rollups.rebuild()
    client.force_login(manager)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"range": "30", "team": billing.pk})
    assert response.status_code == 200
    # session + user, team and tier lookups, then the figures: daily rows, previous
    # totals, durations, topics, alerts, praise ids, praise voices; form choices (2);
    # loyalty (recovery/figures.py): survey answers by day, recovery now and before,
    # repeat purchases (2), SLA now and before, by team, by tier, VIP tiers (none here).
    assert len(queries) == 22, [q["sql"] for q in queries]


def test_charts_follow_new_figures_at_once(client, manager, customer):
    open_on(customer, 0)
    rollups.rebuild()
    client.force_login(manager)
    before = client.get(URL).context["charts"]["by_kind"]
    open_on(customer, 0, kind=Kind.IDEA)
    rollups.rebuild()
    after = client.get(URL).context["charts"]["by_kind"]
    assert before != after and "Idea" in after and "Idea" not in before


def test_long_periods_are_charted_per_week_then_per_month(client, manager, customer):
    open_on(customer, 45)
    open_on(customer, 50)
    rollups.rebuild()
    client.force_login(manager)
    ninety = client.get(URL, {"range": "90"}).context["figures"]
    assert ninety.per == "week" and len(ninety.labels) == 13
    assert sum(sum(v or 0 for v in values) for values in ninety.opened_by_kind.values()) == 2
    end = timezone.localdate()
    start = end - timedelta(days=364)
    year = client.get(URL, {"range": "custom", "start": start, "end": end}).context["figures"]
    assert year.per == "month" and len(year.labels) in (12, 13)
    assert year.labels[0] == f"{start:%b %Y}"
    assert sum(sum(v or 0 for v in values) for values in year.opened_by_channel.values()) == 2
