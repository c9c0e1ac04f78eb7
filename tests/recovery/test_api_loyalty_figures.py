"""GET /api/v1/figures/loyalty: the dashboard's loyalty numbers for integrations."""

import pytest

from tests.recovery.figures_data import MAY, at, clock, complaint, csat, nps, opened, person


@pytest.fixture
def may(db, billing, vip):
    rae, bo = person("Rae", orders=2), person("Bo", tier=vip, orders=1)
    complaint(rae, at(10), team=billing)
    complaint(bo, at(10), tier=vip)
    csat(rae, 5, at(12), team=billing)
    csat(bo, 3, at(12), tier=vip)
    nps(bo, 0, at(13), tier=vip)
    clock(opened(bo, at(5), kind="question"), True, False)
    from everydesk.insights import rollups

    rollups.rebuild()


PERIOD = f"{MAY.start}..{MAY.end}"


def test_a_manager_gets_every_loyalty_figure(api, manager, may):
    response = api.get("/figures/loyalty", manager, period=PERIOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period_start"], body["period_end"], body["per"]) == (
        "2026-05-01",
        "2026-05-31",
        "day",
    )
    assert body["csat"] == {"value": 0.5, "previous": None, "answered": 2}
    assert body["nps"] == {"value": -100.0, "previous": None, "answered": 1}
    assert body["recovery_rate"] == {"part": 1, "whole": 2, "value": 0.5, "previous": None}
    assert body["repeat_purchase"]["complainers"]["value"] == 0.5
    assert body["sla_attainment"]["all"] == {"part": 1, "whole": 2, "value": 0.5, "previous": None}
    assert {g["name"]: g["csat"] for g in body["by_tier"]} == {"VIP": 0.0, "No tier": 1.0}
    assert body["vip"]["customers"] == 1 and body["vip"]["csat"] == 0.0
    assert len(body["trend"]) == 31 and body["trend"][11]["label"] == "12 May"
    assert (body["trend"][11]["csat"], body["trend"][12]["nps"]) == (0.5, -100.0)


def test_the_team_and_tier_filters(api, admin, may, billing, vip):
    billing_only = api.get("/figures/loyalty", admin, period=PERIOD, team=billing.pk).json()
    assert billing_only["csat"]["answered"] == 1 and billing_only["recovery_rate"]["whole"] == 1
    vip_only = api.get("/figures/loyalty", admin, period=PERIOD, tier=vip.pk).json()
    assert vip_only["csat"]["value"] == 0.0 and vip_only["nps"]["answered"] == 1


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("400", "A period is 1 to 366 days."),
        ("2026-05-31..2026-05-01", "The start must not be after the end"),
        ("2026-02-30..2026-03-01", "Dates are written YYYY-MM-DD."),
    ],
)
def test_a_bad_period_gets_a_clear_message(api, manager, period, message):
    response = api.get("/figures/loyalty", manager, period=period)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(message)


def test_an_unknown_team_gets_a_clear_message(api, manager, billing):
    response = api.get("/figures/loyalty", manager, team=billing.pk + 1000)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"There is no team {billing.pk + 1000}."


def test_only_those_who_see_insights_get_the_figures(api, agent, employee, customer):
    for who in (agent, employee, customer):
        assert api.get("/figures/loyalty", who).status_code == 404
