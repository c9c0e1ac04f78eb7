"""The emerging-issue detector on hand-made hourly counts (pure functions, no database)."""

import math

import pytest

from everydesk.listening import emerging
from everydesk.listening.emerging import WEEK, DetectorConfig, HourlyCounts

CONFIG = DetectorConfig(alpha=emerging.alpha_for(1.0, topics=20, windows=3))
# Hour 0 of the test calendar is a Monday 00:00; five weeks of history before "now".
MONDAY = 5 * WEEK


def _rhythm(weeks: int, *, monday_peak: int, other: int) -> dict[int, int]:
    """A topic busy on Monday mornings (9-12h), quiet otherwise, for `weeks` weeks."""
    counts = {}
    for week in range(weeks):
        for day in range(7):
            for hour in range(9, 17):
                at = week * WEEK + day * 24 + hour
                counts[at] = monday_peak if day == 0 and hour < 12 else other
    return counts


def _others(weeks: int, per_hour: int = 20) -> HourlyCounts:
    return HourlyCounts({h: per_hour for h in range(weeks * WEEK)})


def test_an_ordinary_monday_peak_does_not_alert():
    counts = _rhythm(6, monday_peak=8, other=1)
    found = emerging.assess(
        HourlyCounts(counts), _others(6), end=MONDAY + 12, first_hour=0, config=CONFIG
    )
    assert not found.fires
    three_hours = found.windows[0]
    assert three_hours.observed == 24
    assert three_hours.expected == pytest.approx(24, rel=0.05)
    assert found.normal


def test_the_same_peak_on_a_tuesday_alerts_as_a_rise():
    counts = _rhythm(6, monday_peak=8, other=1)
    tuesday = MONDAY + 24
    for hour in (9, 10, 11):
        counts[tuesday + hour] = 8
    found = emerging.assess(
        HourlyCounts(counts), _others(6), end=tuesday + 12, first_hour=0, config=CONFIG
    )
    assert found.fires and found.rule == "rise"
    assert found.firing.observed == 24 and found.firing.expected < 4
    assert found.firing.p_value <= CONFIG.alpha
    assert found.firing.score > 4


def test_a_tiny_count_never_alerts_however_unusual():
    lenient = DetectorConfig(alpha=1e-3, min_count=5)
    four = {MONDAY - 3: 2, MONDAY - 2: 2}  # four voices where there were none for weeks
    found = emerging.assess(
        HourlyCounts(four), _others(6), end=MONDAY, first_hour=0, config=lenient
    )
    assert found.windows[0].p_value < lenient.alpha
    assert not found.fires
    five = {**four, MONDAY - 1: 1}
    found = emerging.assess(
        HourlyCounts(five), _others(6), end=MONDAY, first_hour=0, config=lenient
    )
    assert found.fires


def test_a_rise_that_the_whole_desk_shares_is_scaled_away():
    counts = _rhythm(6, monday_peak=2, other=2)
    others = {h: 20 for h in range(6 * WEEK)}
    tuesday = MONDAY + 24
    for hour in range(tuesday, tuesday + 12):
        counts[hour] = 4  # this topic doubles ...
        others[hour] = 40  # ... and so does everything else
    busy = emerging.assess(
        HourlyCounts(counts), HourlyCounts(others), end=tuesday + 12, first_hour=0, config=CONFIG
    )
    alone = emerging.assess(
        HourlyCounts(counts), _others(6), end=tuesday + 12, first_hour=0, config=CONFIG
    )
    assert not busy.fires
    assert alone.windows[-1].expected < busy.windows[-1].expected


def test_a_brand_new_topic_alerts_when_it_reaches_its_daily_count():
    start = MONDAY - 20
    few = HourlyCounts({start + i: 1 for i in range(CONFIG.new_topic_daily - 1)})
    many = HourlyCounts({start + i: 1 for i in range(CONFIG.new_topic_daily)})
    assert not emerging.assess(few, _others(6), end=MONDAY, first_hour=start, config=CONFIG).fires
    found = emerging.assess(many, _others(6), end=MONDAY, first_hour=start, config=CONFIG)
    assert found.rule == "new_topic" and found.firing.observed == CONFIG.new_topic_daily


def test_the_tail_probability_matches_poisson_when_there_is_no_overdispersion():
    # P(X >= 10) for Poisson(3) is 0.001102.
    assert emerging.upper_tail(10, 3.0, 1e9) == pytest.approx(0.001102, rel=1e-3)
    assert emerging.upper_tail(0, 3.0, 5.0) == 1.0
    assert emerging.upper_tail(2, 3.0, 5.0) == pytest.approx(
        1
        - sum(
            math.exp(
                math.lgamma(k + 5)
                - math.lgamma(5)
                - math.lgamma(k + 1)
                + 5 * math.log(5 / 8)
                + k * math.log(3 / 8)
            )
            for k in range(2)
        )
    )


def test_overdispersion_makes_the_same_count_less_surprising():
    poisson = emerging.upper_tail(12, 4.0, 1e9)
    overdispersed = emerging.upper_tail(12, 4.0, 5.0)
    assert overdispersed > poisson


def test_the_threshold_comes_from_the_false_alarm_rate():
    assert emerging.alpha_for(1.0, topics=20, windows=2) == pytest.approx(1 / (20 * 730 * 2))
    assert emerging.alpha_for(2.0, topics=20, windows=2) == 2 * emerging.alpha_for(1.0, 20, 2)
