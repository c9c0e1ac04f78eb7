"""The loyalty section of the insights dashboard and the digest's headline figures."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everydesk.insights import digest
from tests.recovery.figures_data import complaint, csat, nps, order, person

URL = "/desk/insights/"


def _recent(days_ago: int = 1):
    return timezone.now() - timedelta(days=days_ago)


def _card(response, label: str) -> str:
    return next(c.value for c in response.context["cards"] if c.label == label)


def test_the_manager_sees_loyalty_figures_as_cards_chart_and_text(client, manager, billing):
    rae, bo = person("Rae"), person("Bo")
    complaint(rae, _recent(3))
    complaint(bo, _recent(3))
    csat(rae, 5, _recent(2), team=billing)
    csat(bo, 2, _recent(2))
    nps(rae, 10, _recent(2))
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert _card(response, "Customer satisfaction (CSAT)") == "50%"
    assert _card(response, "Net promoter score (NPS)") == "+100"
    assert _card(response, "Complainers recovered") == "50%"
    page = response.content.decode()
    assert "Loyalty and recovery" in page and "1 of 2 (50%)" in page
    assert "CSAT (% satisfied) and NPS per day" in page  # the chart's title
    assert "Billing" in page and "VIP health" in page


def test_the_team_filter_applies_to_the_loyalty_figures(client, manager, billing):
    c = person("Tess")
    csat(c, 5, _recent(), team=billing)
    csat(c, 1, _recent())
    client.force_login(manager)
    everyone = client.get(URL)
    billing_only = client.get(URL, {"range": "7", "team": billing.pk})
    assert _card(everyone, "Customer satisfaction (CSAT)") == "50%"
    assert _card(billing_only, "Customer satisfaction (CSAT)") == "100%"


def test_the_query_count_with_vip_customers_is_pinned(client, manager, vip):
    for name in ("Vera", "Nora"):
        person(name, tier=vip, orders=1)
    client.force_login(manager)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"range": "30"}).status_code == 200
    # 20 without VIPs or filters (tests/insights/test_dashboard.py pins 22 with a team);
    # VIP health adds customers, open complaints, sentiment, CSAT, breaches, the quiet
    # list and its count: whatever the number of VIPs.
    assert len(queries) == 27, [q["sql"] for q in queries]


def test_the_digest_leads_with_the_loyalty_headline(manager):
    c = person("Dora")
    complaint(c, _recent(3))
    order(c, _recent(2))
    ctx = digest.context(digest.last_week())
    labels = {card.label: card.value for card in ctx["cards"]}
    assert labels["Complainers recovered"] == "100%"
    assert labels["Customer satisfaction (CSAT)"] == "\N{EN DASH}"
