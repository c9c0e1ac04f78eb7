"""Whatever the people, zones, windows and days off, a plan keeps every rule:
nobody outside service hours or their availability, never on a day off, never two
shifts a day, never more than asked, slots never over the cap, and every shortfall
reported."""

from collections import Counter
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everydesk.accounts.models import Role, User
from everydesk.frontline import availability, rotation, rules
from everydesk.frontline.models import AvailabilityWindow, TimeOff

from .conftest import QUARTER

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Auckland"]

person = st.fixed_dictionaries(
    {
        "zone": st.sampled_from(ZONES),
        "windows": st.lists(
            st.tuples(st.integers(0, 6), st.integers(0, 20), st.integers(2, 12)), max_size=4
        ),
        "off": st.lists(st.tuples(st.integers(0, 89), st.integers(0, 30)), max_size=2),
    }
)


def _make(people: list[dict]) -> list[User]:
    made = []
    for n, spec in enumerate(people):
        email = f"p{n}@prop.test"
        user = User.objects.create(
            username=email, email=email, role=Role.EMPLOYEE, time_zone=spec["zone"]
        )
        for day, start, length in spec["windows"]:
            end = min(start + length, 24)
            AvailabilityWindow.objects.create(
                user=user, weekday=day, starts=time(start), ends=time(end % 24)
            )
        for first, length in spec["off"]:
            begin = QUARTER.first_day + timedelta(days=first)
            TimeOff.objects.create(
                user=user, first_day=begin, last_day=begin + timedelta(days=length)
            )
        made.append(user)
    return made


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(person, min_size=1, max_size=12),
    hours=st.integers(1, 9),
    cap=st.one_of(st.none(), st.integers(1, 3)),
    seed=st.integers(0, 1000),
)
def test_every_plan_keeps_every_constraint(rule, people, hours, cap, seed):
    User.objects.filter(email__endswith="@prop.test").delete()
    rule.hours_per_quarter, rule.max_per_slot = hours, cap
    rule.save()
    staff = _make(people)
    needed = rules.shifts_needed(rule)

    plan = rotation.plan(rule=rule, quarter=QUARTER, seed=seed)

    company = ZoneInfo(rule.time_zone)
    patterns = availability.patterns_of(staff)
    off = availability.days_off([u.pk for u in staff], QUARTER.first_day, date(2031, 4, 30))
    placed = Counter(user.pk for user, _ in plan.placements)
    per_slot = Counter(slot for _, slot in plan.placements)
    days = Counter((user.pk, plan.slots[slot].day) for user, slot in plan.placements)
    for user, index in plan.placements:
        slot = plan.slots[index]
        start, end = slot.starts_at.astimezone(company), slot.ends_at.astimezone(company)
        assert start.weekday() < 5 and time(9) <= start.time() and end.time() <= time(17)
        zone = ZoneInfo(user.time_zone)
        local = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        assert availability.fits(patterns[user.pk].windows, *local)
        assert not {local[0].date(), local[1].date()} & off.get(user.pk, set())
    assert all(n == 1 for n in days.values())
    assert cap is None or all(n <= cap for n in per_slot.values())
    missing = {row["user"]: row["missing"] for row in plan.unplaced}
    for user in staff:
        assert placed[user.pk] + missing.get(user.pk, 0) == needed
        assert user.pk not in missing or (missing[user.pk] > 0 and plan.unplaced)
