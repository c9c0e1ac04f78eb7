"""Each loyalty figure, computed exactly on hand-made rows (recovery/figures.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.insights import rollups
from everydesk.insights.figures import Filters, Period, buckets_of
from everydesk.insights.models import VoiceFact
from everydesk.recovery import figures
from tests.recovery.figures_data import (
    MAY,
    at,
    clock,
    complaint,
    csat,
    nps,
    opened,
    order,
    person,
    survey,
)


def compute(filters: Filters | None = None, period: Period = MAY) -> figures.Loyalty:
    return figures.compute(period, filters or Filters(), buckets_of(period))


@pytest.mark.django_db
def test_csat_is_the_share_of_answers_that_gave_four_or_five():
    c = person("Cat")
    for score, day in ((5, 2), (4, 3), (3, 4), (1, 30)):
        csat(c, score, at(day))
    survey(c, "csat", None, None)  # sent, never answered
    csat(c, 5, at(1, month=6))  # after the period
    csat(c, 2, at(15, month=4))  # the previous period
    loyalty = compute()
    assert (loyalty.csat.answered, loyalty.csat.high, loyalty.csat.csat) == (4, 2, 0.5)
    assert loyalty.csat_before.csat == 0.0


@pytest.mark.django_db
def test_nps_is_promoters_less_detractors():
    c = person("Nat")
    for score in (10, 10, 9, 8, 7, 6, 0, 3):
        nps(c, score, at(10))
    loyalty = compute()
    # 3 promoters, 3 detractors of 8 -> 0; the CSAT is untouched
    assert (loyalty.nps.answered, loyalty.nps.high, loyalty.nps.low, loyalty.nps.nps) == (
        8,
        3,
        3,
        0,
    )
    nps(c, 10, at(11))
    nps(c, 9, at(12))
    assert compute().nps.nps == 100 * (5 - 3) / 10
    assert compute().csat.answered == 0


@pytest.mark.django_db
def test_csat_and_nps_over_time_fall_in_their_bars():
    c = person("Tim")
    week = Period(MAY.start, MAY.start + timedelta(days=6))
    csat(c, 5, at(1))
    csat(c, 2, at(1, hour=23))
    nps(c, 10, at(3))
    loyalty = compute(period=week)
    assert loyalty.csat_trend == [0.5, None, None, None, None, None, None]
    assert loyalty.nps_trend == [None, None, 100.0, None, None, None, None]


@pytest.mark.django_db
def test_csat_and_nps_by_team_and_tier_use_the_survey_snapshot(billing, vip):
    c = person("Sam")
    csat(c, 5, at(5), team=billing, tier=vip)
    csat(c, 1, at(5), team=billing)
    nps(c, 10, at(5), tier=vip)
    loyalty = compute()
    teams = {g.name: (g.csat.csat, g.nps.nps) for g in loyalty.by_team}
    tiers = {g.name: (g.csat.csat, g.nps.nps) for g in loyalty.by_tier}
    assert teams == {"Billing": (0.5, None), "No team": (None, 100.0)}
    assert tiers == {"VIP": (1.0, 100.0), "No tier": (0.0, None)}
    only_billing = compute(Filters(team_id=billing.pk, team_name="Billing"))
    assert (only_billing.csat.answered, only_billing.nps.answered) == (2, 0)


@pytest.mark.django_db
def test_recovery_counts_complainers_who_rated_well_or_bought_after_their_complaint():
    rated, bought, too_early, lukewarm, outside = (
        person(n) for n in ("Rae", "Bo", "Earl", "Luke", "Otto")
    )
    for who in (rated, bought, too_early, lukewarm):
        complaint(who, at(10))
    complaint(outside, at(10, month=3))  # solved before the period: not a complainer of it
    csat(rated, 4, at(20))  # CSAT 4 after the solve
    order(bought, at(2, month=7))  # bought again, after the period: still counts
    nps(too_early, 10, at(9))  # a promoter, but before the complaint was solved
    csat(lukewarm, 3, at(20))
    nps(lukewarm, 8, at(21))  # passive
    nps(outside, 10, at(20))
    recovery = compute().recovery
    assert (recovery.part, recovery.whole, recovery.value) == (2, 4, 0.5)


@pytest.mark.django_db
def test_recovery_counts_from_the_last_complaint_of_the_period():
    twice = person("Tess")
    complaint(twice, at(5))
    csat(twice, 5, at(7))  # pleased after the first, then complained again
    complaint(twice, at(20))
    assert compute().recovery == figures.Rate(0, 1)
    order(twice, at(25))
    assert compute().recovery == figures.Rate(1, 1)


@pytest.mark.django_db
def test_repeat_purchases_of_complainers_against_everyone_else():
    complainers = [person("A", orders=2), person("B", orders=1), person("C"), person("D", orders=3)]
    for who in complainers:
        complaint(who, at(10))
    person("X", orders=1), person("Y", orders=2), person("Z"), person("W", orders=1)
    loyalty = compute()
    assert loyalty.repeat_complainers == figures.Rate(2, 3)  # C has no orders
    assert loyalty.repeat_others == figures.Rate(1, 3)


@pytest.mark.django_db
def test_sla_attainment_is_decided_targets_met_for_conversations_opened_in_the_period():
    c = person("Sue")
    for first, resolution in ((True, True), (True, None), (False, False), (None, None)):
        clock(opened(c, at(8), kind="question"), first, resolution)
    clock(opened(c, at(8, month=4), kind="question"), False, False)  # previous period
    rollups.rebuild()
    loyalty = compute()
    assert loyalty.sla_first_response == figures.Rate(2, 3)
    assert loyalty.sla_resolution == figures.Rate(1, 2)
    assert loyalty.sla == figures.Rate(3, 5)
    assert loyalty.sla_before == figures.Rate(0, 2)


@pytest.mark.django_db
def test_vip_health(vip, customer):
    now = timezone.now()
    loud = person("Vera", tier=vip)
    person("Nora", tier=vip)  # never wrote
    long_ago = person("Lars", tier=vip)
    open_complaint = opened(loud, now - timedelta(days=1))
    opened(long_ago, now - timedelta(days=100), kind="question")
    opened(customer, now, kind="complaint")  # not a VIP
    clock(open_complaint, False, None, breached_at=now)  # opened now: not in May
    clock(opened(loud, at(3), kind="question"), False, None, breached_at=at(4))
    clock(opened(loud, at(3), kind="question"), True, None)
    rollups.rebuild()
    csat(loud, 2, at(14), tier=vip)
    csat(loud, 5, at(15), tier=vip)
    csat(customer, 1, at(15))
    for i, sentiment in enumerate((-0.5, 0.1)):
        VoiceFact.objects.create(
            voice_id=900_000 + i,
            tier_id=vip.pk,
            channel="email",
            kind="complaint",
            day=MAY.start,
            created_at=at(1),
            sentiment=sentiment,
            sentiment_label="neutral",
        )
    health = compute().vip
    assert (health.customers, health.open_complaints, health.breaches) == (3, 1, 1)
    assert health.sentiment == pytest.approx(-0.2)
    assert (health.csat.answered, health.csat.csat) == (2, 0.5)
    assert health.quiet_count == 2
    assert [c.name for c in health.quiet] == ["Nora", "Lars"]  # never heard from, first


@pytest.mark.django_db
def test_without_a_vip_tier_vip_health_is_empty(customer):
    assert compute().vip == figures.VipHealth()
