"""Business-time arithmetic, checked as properties over random calendars, zones and times."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from everydesk.sla.business_hours import (
    ALWAYS_OPEN,
    Calendar,
    CalendarError,
    add_business_time,
    business_time_between,
    is_open,
    parse_week,
)

UTC = dt.UTC
# Zones with one-hour, half-hour and midnight DST changes, and some without DST.
ZONES = [
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Havana",
]
START = dt.datetime(2025, 1, 1, tzinfo=UTC)


@st.composite
def day_spans(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    cuts = draw(st.lists(st.integers(0, 96), unique=True, max_size=6))
    cuts = sorted(c * 15 for c in cuts)
    return tuple((a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False))


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    week = tuple(draw(day_spans()) for _ in range(7))
    # At least four open hours a week, so the longest duration drawn (14 days of open
    # time) fits in the years add_business_time searches; sparser calendars refuse
    # with CalendarError (test_a_calendar_too_sparse_for_the_duration_refuses_clearly).
    assume(sum(end - start for day in week for start, end in day) >= 4 * 60)
    first = START.date()
    holidays = draw(
        st.frozensets(st.integers(0, 800).map(lambda n: first + dt.timedelta(days=n)), max_size=40)
    )
    return Calendar(zone=ZoneInfo(draw(st.sampled_from(ZONES))), week=week, holidays=holidays)


moments = st.integers(0, 2 * 365 * 24 * 60).map(lambda m: START + dt.timedelta(minutes=m))
durations = st.integers(0, 14 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(calendars(), moments, durations)
def test_measuring_what_was_added_gives_the_duration_back(
    calendar: Calendar, start: dt.datetime, duration: dt.timedelta
) -> None:
    due = add_business_time(start, duration, calendar)
    assert due >= start
    assert business_time_between(start, due, calendar) == duration


@settings(max_examples=200, deadline=None)
@given(calendars(), moments, durations, durations)
def test_more_business_time_never_ends_earlier(
    calendar: Calendar, start: dt.datetime, one: dt.timedelta, other: dt.timedelta
) -> None:
    shorter, longer = sorted((one, other))
    assert add_business_time(start, shorter, calendar) <= add_business_time(start, longer, calendar)


@settings(max_examples=200, deadline=None)
@given(calendars(), moments, durations.filter(bool))
def test_a_deadline_always_falls_in_open_hours(
    calendar: Calendar, start: dt.datetime, duration: dt.timedelta
) -> None:
    due = add_business_time(start, duration, calendar)
    # The last minute counted before the deadline was open time.
    assert is_open(due - dt.timedelta(seconds=1), calendar)


@settings(max_examples=200, deadline=None)
@given(calendars(), moments, moments, moments)
def test_business_time_adds_up_over_consecutive_stretches(
    calendar: Calendar, a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    a, b, c = sorted((a, b, c))
    whole = business_time_between(a, c, calendar)
    assert whole == business_time_between(a, b, calendar) + business_time_between(b, c, calendar)
    assert dt.timedelta(0) <= whole <= c - a


@settings(max_examples=200, deadline=None)
@given(calendars(), st.integers(0, 800))
def test_holidays_are_never_counted(calendar: Calendar, offset: int) -> None:
    day = START.date() + dt.timedelta(days=offset)
    closed = Calendar(zone=calendar.zone, week=calendar.week, holidays=calendar.holidays | {day})
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=calendar.zone)
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=calendar.zone)
    assert business_time_between(midnight, next_midnight, closed) == dt.timedelta(0)


@settings(max_examples=200, deadline=None)
@given(calendars(), moments, durations, st.integers(0, 800))
def test_a_new_holiday_never_brings_a_deadline_forward(
    calendar: Calendar, start: dt.datetime, duration: dt.timedelta, offset: int
) -> None:
    day = START.date() + dt.timedelta(days=offset)
    closed = Calendar(zone=calendar.zone, week=calendar.week, holidays=calendar.holidays | {day})
    assume(any(closed.week))
    assert add_business_time(start, duration, closed) >= add_business_time(
        start, duration, calendar
    )


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), moments, durations)
def test_a_calendar_open_around_the_clock_runs_on_wall_time(
    name: str, start: dt.datetime, duration: dt.timedelta
) -> None:
    always = Calendar(zone=ZoneInfo(name), week=ALWAYS_OPEN.week)
    assert add_business_time(start, duration, always) == start + duration
    assert business_time_between(start, start + duration, always) == duration


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Paris", dt.date(2026, 3, 29), 23),
        ("Europe/Paris", dt.date(2026, 10, 25), 25),
        ("America/New_York", dt.date(2026, 3, 8), 23),
        ("America/New_York", dt.date(2026, 11, 1), 25),
        ("Australia/Lord_Howe", dt.date(2026, 4, 5), 24.5),
        ("Europe/Paris", dt.date(2026, 6, 1), 24),
    ],
)
def test_daylight_saving_days_have_their_real_length(zone: str, day: dt.date, hours: float) -> None:
    calendar = Calendar(zone=ZoneInfo(zone), week=ALWAYS_OPEN.week)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(zone))
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(zone))
    assert business_time_between(midnight, following, calendar) == dt.timedelta(hours=hours)


def test_office_hours_on_the_night_the_clocks_go_back_count_the_repeated_hour() -> None:
    # Open 01:00-03:00 local on the Sunday Paris falls back: 02:00-03:00 happens twice.
    week = parse_week({"sun": [["01:00", "03:00"]]})
    calendar = Calendar(zone=ZoneInfo("Europe/Paris"), week=week)
    saturday = dt.datetime(2026, 10, 24, 12, tzinfo=UTC)
    monday = dt.datetime(2026, 10, 26, tzinfo=UTC)
    assert business_time_between(saturday, monday, calendar) == dt.timedelta(hours=3)


def test_a_friday_afternoon_deadline_moves_to_monday_morning() -> None:
    week = parse_week({d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})
    calendar = Calendar(zone=ZoneInfo("America/New_York"), week=week)
    friday_four_pm = dt.datetime(2026, 12, 4, 16, tzinfo=ZoneInfo("America/New_York"))
    due = add_business_time(friday_four_pm, dt.timedelta(hours=4), calendar)
    assert due == dt.datetime(2026, 12, 7, 12, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({}, "never open"),
        ({"mon": [["17:00", "09:00"]]}, "runs forward"),
        ({"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}, "overlap"),
        ({"mon": [["9", "17:00"]]}, "not a time"),
        ({"monday": [["09:00", "17:00"]]}, "Unknown day"),
        ({"mon": [["09:00", "24:30"]]}, "between 00:00 and 24:00"),
    ],
)
def test_unusable_opening_hours_are_refused_with_a_reason(hours: dict, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        Calendar(zone=ZoneInfo("UTC"), week=parse_week(hours))


def test_a_calendar_too_sparse_for_the_duration_refuses_clearly():
    sundays_only = Calendar(
        zone=ZoneInfo("UTC"), week=((),) * 6 + (((0, 15),),), holidays=frozenset()
    )
    with pytest.raises(CalendarError, match="not open in the"):
        add_business_time(START, dt.timedelta(days=30), sundays_only)
