"""The priority score: each part's points, a reason a person can read, and when it moves."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from everydesk.conversations.models import Priority
from everydesk.sla.policies import TierInfo
from everydesk.sla.priority import Clock, score

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
WARN = dt.timedelta(minutes=15)


def _clock(minutes_left: float, *, paused: bool = False) -> Clock:
    return Clock(due_at=NOW + dt.timedelta(minutes=minutes_left), paused=paused, warn_before=WARN)


def test_every_part_says_what_it_adds():
    found = score(
        tier=TierInfo("VIP", 20),
        urgency=80,
        sentiment=-0.8,
        created_at=NOW - dt.timedelta(days=3, hours=1),
        clock=_clock(10),
        now=NOW,
    )
    assert [part.text for part in found.parts] == [
        "VIP +20",
        "urgent words +60",
        "angry +10",
        "SLA due within 15 min +30",
        "waiting 3 days +6",
    ]
    assert found.points == 126
    assert found.band == Priority.URGENT


def test_a_new_calm_conversation_scores_nothing_and_stays_normal():
    found = score(tier=None, urgency=0, sentiment=0.4, created_at=NOW, clock=None, now=NOW)
    assert (found.points, found.parts, found.band) == (0, (), Priority.NORMAL)
    assert found.next_change == NOW + dt.timedelta(days=1)  # the first day of waiting


def test_a_tier_with_a_negative_boost_makes_it_low():
    found = score(
        tier=TierInfo("Free", -5), urgency=0, sentiment=None, created_at=NOW, clock=None, now=NOW
    )
    assert found.band == Priority.LOW


def test_the_next_change_is_entering_the_next_narrower_window():
    found = score(tier=None, urgency=0, sentiment=None, created_at=NOW, clock=_clock(180), now=NOW)
    assert [part.text for part in found.parts] == ["SLA due within 8 h +5"]
    assert found.next_change == NOW + dt.timedelta(hours=1)  # when 2 hours are left


def test_a_breached_deadline_adds_the_most():
    found = score(tier=None, urgency=0, sentiment=None, created_at=NOW, clock=_clock(-1), now=NOW)
    assert [part.text for part in found.parts] == ["SLA breached +40"]
    assert found.band == Priority.HIGH


def test_a_paused_clock_adds_nothing():
    found = score(
        tier=None, urgency=0, sentiment=None, created_at=NOW, clock=_clock(5, paused=True), now=NOW
    )
    assert found.parts == ()


def test_age_stops_adding_after_ten_days():
    found = score(
        tier=None,
        urgency=0,
        sentiment=None,
        created_at=NOW - dt.timedelta(days=40),
        clock=None,
        now=NOW,
    )
    assert [part.text for part in found.parts] == ["waiting 40 days +20"]
    assert found.next_change is None


@given(st.floats(-600, 24 * 60), st.floats(0, 24 * 60))
def test_the_sla_part_only_grows_as_the_deadline_nears(minutes_left: float, later: float):
    clock = _clock(minutes_left)
    earlier = score(tier=None, urgency=0, sentiment=None, created_at=NOW, clock=clock, now=NOW)
    then = NOW + dt.timedelta(minutes=min(later, 23 * 60))
    after = score(tier=None, urgency=0, sentiment=None, created_at=NOW, clock=clock, now=then)
    assert after.points >= earlier.points


@given(st.floats(-600, 24 * 60))
def test_nothing_changes_before_the_announced_next_change(minutes_left: float):
    clock = _clock(minutes_left)
    found = score(tier=None, urgency=0, sentiment=None, created_at=NOW, clock=clock, now=NOW)
    if found.next_change is not None:
        assert found.next_change > NOW
        just_before = found.next_change - dt.timedelta(microseconds=1)
        again = score(
            tier=None, urgency=0, sentiment=None, created_at=NOW, clock=clock, now=just_before
        )
        assert again.parts == found.parts
