"""Building a quarter's rotation: everyone gets their hours, fairly, and never
outside what they or the company allow."""

from collections import Counter, defaultdict
from datetime import UTC, date, time
from zoneinfo import ZoneInfo

from everydesk.accounts.models import Role
from everydesk.frontline import rotation, rules
from everydesk.frontline.models import AvailabilityWindow, RotationBuild, Shift, TimeOff
from everydesk.notifications.models import Notification
from everydesk.sla.models import BusinessCalendar, Holiday

from .conftest import QUARTER

BERLIN = ZoneInfo("Europe/Berlin")


def _shifts_by_person():
    found = defaultdict(list)
    for shift in Shift.objects.order_by("starts_at"):
        found[shift.user_id].append(shift)
    return found


def test_every_included_person_gets_their_hours_rounded_up_to_whole_shifts(rule, make_staff):
    rule.hours_per_quarter = 5  # 5 hours of 2-hour shifts: three shifts each
    rule.save()
    people = make_staff(30)

    record = rotation.build(rule=rule, quarter=QUARTER)

    counts = Counter(Shift.objects.values_list("user_id", flat=True))
    assert {p.pk: counts[p.pk] for p in people} == {p.pk: 3 for p in people}
    assert record.placed == 90 and record.unplaced == [] and record.people == 30


def test_load_per_slot_is_balanced_within_one_person(rule, make_staff):
    make_staff(600)  # 1,200 shifts over 256 slots: 4 or 5 people in every slot

    rotation.build(rule=rule, quarter=QUARTER)

    load = Counter(Shift.objects.values_list("starts_at", flat=True))
    slots = rules.slots(rule, QUARTER)
    per_slot = [load[s.starts_at] for s in slots]
    assert max(per_slot) - min(per_slot) <= 1
    assert sum(per_slot) == 1200


def test_a_persons_shifts_are_spread_over_the_quarter_never_two_the_same_week(rule, make_staff):
    rule.hours_per_quarter = 8  # four shifts each
    rule.save()
    make_staff(50)

    rotation.build(rule=rule, quarter=QUARTER)

    for shifts in _shifts_by_person().values():
        weeks = {s.starts_at.astimezone(BERLIN).isocalendar().week for s in shifts}
        assert len(shifts) == 4 and len(weeks) == 4


def test_shifts_fall_inside_service_hours_and_each_persons_local_availability(rule, make_staff):
    tokyo = make_staff(20, time_zone="Asia/Tokyo")
    new_york = make_staff(20, time_zone="America/New_York")
    berlin = make_staff(20)
    # Tokyo's 09:00-17:00 and Berlin's service hours meet only early Berlin morning:
    # Tokyo people are open in their evening instead.
    for person in tokyo:
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(user=person, weekday=d, starts=time(15), ends=time(20))
            for d in range(5)
        )

    record = rotation.build(rule=rule, quarter=QUARTER)

    assert record.unplaced == []
    for person in [*tokyo, *new_york, *berlin]:
        zone = ZoneInfo(person.time_zone)
        window = (time(15), time(20)) if person in tokyo else (time(9), time(17))
        for shift in person.shifts.all():
            company = shift.starts_at.astimezone(BERLIN), shift.ends_at.astimezone(BERLIN)
            assert company[0].weekday() < 5 and time(9) <= company[0].time()
            assert company[1].time() <= time(17) and company[1].date() == company[0].date()
            local = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
            assert local[0].weekday() < 5
            assert window[0] <= local[0].time() and local[1].time() <= window[1]


def test_local_availability_follows_both_daylight_saving_changes(rule, make_staff):
    # New York staff free 09:00-11:00 only. Berlin's 15:00 slot is New York's 09:00,
    # except from 9 March 2031 (US clocks move) to 30 March (Europe's move), when it
    # is 10:00 and ends too late: nothing fits in those three weeks.
    people = make_staff(60, time_zone="America/New_York")
    for person in people:
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(user=person, weekday=d, starts=time(9), ends=time(11))
            for d in range(5)
        )

    record = rotation.build(rule=rule, quarter=QUARTER)

    assert record.unplaced == []
    new_york = ZoneInfo("America/New_York")
    for shift in Shift.objects.all():
        assert shift.starts_at.astimezone(new_york).time() == time(9)
        assert shift.starts_at.astimezone(BERLIN).time() == time(15)
        assert not date(2031, 3, 10) <= shift.starts_at.date() <= date(2031, 3, 28)
    hours_utc = Counter(s.starts_at.astimezone(UTC).hour for s in Shift.objects.all())
    assert set(hours_utc) == {14, 13}  # winter, then summer time on both sides


def test_nobody_serves_on_their_days_off_or_on_company_holidays(rule, make_staff):
    calendar = BusinessCalendar.objects.create(name="Germany", time_zone="Europe/Berlin")
    Holiday.objects.create(calendar=calendar, date=date(2031, 1, 1), name="New Year")
    Holiday.objects.create(calendar=calendar, date=date(2031, 3, 3), name="Closed")
    rule.holidays = calendar
    rule.save()
    people = make_staff(200)
    away = people[:20]
    for person in away:
        TimeOff.objects.create(user=person, first_day=date(2031, 1, 1), last_day=date(2031, 2, 28))

    rotation.build(rule=rule, quarter=QUARTER)

    days = {s.starts_at.astimezone(BERLIN).date() for s in Shift.objects.all()}
    assert date(2031, 3, 3) not in days and date(2031, 1, 1) not in days
    for person in away:
        shifts = list(person.shifts.all())
        assert len(shifts) == 2
        assert all(s.starts_at.astimezone(BERLIN).date() >= date(2031, 3, 1) for s in shifts)


def test_people_who_cannot_be_placed_are_reported_by_name_with_the_reason(rule, make_staff):
    [night_owl] = make_staff(1, time_zone="Pacific/Auckland")
    AvailabilityWindow.objects.create(
        user=night_owl, weekday=0, starts=time(9), ends=time(11)
    )  # Monday morning in Auckland is Sunday night in Berlin
    [away] = make_staff(1)
    TimeOff.objects.create(user=away, first_day=date(2031, 1, 1), last_day=date(2031, 3, 28))
    everyone_else = make_staff(3)

    record = rotation.build(rule=rule, quarter=QUARTER)

    unplaced = {row["user"]: row for row in RotationBuild.objects.get(pk=record.pk).unplaced}
    assert set(unplaced) == {night_owl.pk, away.pk}
    assert unplaced[night_owl.pk]["missing"] == 2
    assert "Pacific/Auckland" in unplaced[night_owl.pk]["reason"]
    assert unplaced[away.pk]["missing"] == 1  # only 31 March is left: one shift fits
    assert "only 1 service days" in unplaced[away.pk]["reason"]
    assert unplaced[away.pk]["name"] == away.display_name
    assert all(p.shifts.count() == 2 for p in everyone_else)


def test_full_slots_are_reported_instead_of_overfilled(rule, make_staff):
    rule.max_per_slot = 1
    rule.save()
    make_staff(130)  # 260 shifts wanted; 64 weekdays of four slots hold one person each
    assert len(rules.slots(rule, QUARTER)) == 256

    record = rotation.build(rule=rule, quarter=QUARTER)

    load = Counter(Shift.objects.values_list("starts_at", flat=True))
    assert max(load.values()) == 1 and sum(load.values()) == 256
    assert sum(row["missing"] for row in record.unplaced) == 4
    assert all("full" in row["reason"] for row in record.unplaced)


def test_the_same_seed_builds_the_same_rotation(rule, make_staff):
    make_staff(40)
    first = rotation.plan(rule=rule, quarter=QUARTER, seed=7)
    again = rotation.plan(rule=rule, quarter=QUARTER, seed=7)
    other = rotation.plan(rule=rule, quarter=QUARTER, seed=8)

    def pairs(plan):
        return [(u.pk, i) for u, i in plan.placements]

    assert pairs(first) == pairs(again)
    assert pairs(first) != pairs(other)


def test_rebuilding_keeps_every_shift_and_only_fills_gaps(rule, make_staff):
    people = make_staff(10)
    rotation.build(rule=rule, quarter=QUARTER)
    before = set(Shift.objects.values_list("pk", "user_id", "starts_at"))
    gone = Shift.objects.filter(user=people[0]).first()
    gone_row = (gone.pk, gone.user_id, gone.starts_at)
    gone.delete()

    again = rotation.build(rule=rule, quarter=QUARTER, seed=3)

    after = set(Shift.objects.values_list("pk", "user_id", "starts_at"))
    assert before - after == {gone_row}
    assert again.placed == 1 and again.kept == 19
    assert people[0].shifts.count() == 2
    assert rotation.build(rule=rule, quarter=QUARTER).placed == 0


def test_only_the_people_the_rule_includes_are_placed(rule, make_staff, agent, manager):
    rule.departments = ["Sales"]
    rule.roles = ["employee", "manager"]
    rule.save()
    sales = make_staff(3)
    make_staff(3, department="Support")
    [boss] = make_staff(1, role=Role.MANAGER)

    rotation.build(rule=rule, quarter=QUARTER)

    assert set(Shift.objects.values_list("user_id", flat=True)) == {p.pk for p in [*sales, boss]}


def test_each_placed_person_is_told_once_after_the_build(
    rule, make_staff, django_capture_on_commit_callbacks
):
    people = make_staff(3)
    with django_capture_on_commit_callbacks(execute=True):
        rotation.build(rule=rule, quarter=QUARTER)
    with django_capture_on_commit_callbacks(execute=True):
        rotation.build(rule=rule, quarter=QUARTER)  # nothing new: nobody told again

    told = Notification.objects.filter(kind="shifts_planned")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(p.pk for p in people)
    assert told.first().title == "Your front-line shifts for 2031Q1 are planned"


def test_a_quarter_that_is_over_places_nobody_and_says_so(rule, make_staff):
    make_staff(2)

    record = rotation.build(rule=rule, quarter=rules.Quarter(2020, 1))

    assert record.placed == 0 and not Shift.objects.exists()
    assert [row["reason"] for row in record.unplaced] == [
        "No service hours are left in 2020Q1."
    ] * 2
