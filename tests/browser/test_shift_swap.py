"""An employee asks a colleague to take a shift and subscribes to their calendar;
the colleague takes it, in a real browser."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from icalendar import Calendar

from everydesk.frontline.models import RotationRule, Shift, ShiftSwap, SwapStatus


def _next_monday_at_ten() -> datetime:
    today = timezone.now().astimezone(UTC).date()
    return datetime.combine(today + timedelta(days=7 - today.weekday()), time(10), UTC)


def test_employee_hands_a_shift_to_a_colleague_who_takes_it(
    browser, page, live_server, sign_in_staff, employee, agent
):
    rule = RotationRule.objects.create(name="Everyone")
    starts = _next_monday_at_ten()
    shift = Shift.objects.create(
        user=employee, rule=rule, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    sign_in_staff(page, employee)
    page.click("nav >> text=Shifts")
    page.wait_for_url("**/desk/shifts/")
    page.fill("table.my-shifts input[name=email]", agent.email)
    page.click("table.my-shifts button:has-text('Offer')")
    page.wait_for_selector("text=Asked Alice.")
    page.click("button:has-text('Make a calendar link')")
    link = page.input_value("input[aria-label='Calendar address']")

    feed = page.request.get(live_server.url + link.split("localhost:8000", 1)[-1])
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [starts]

    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in_staff(other, agent)
    other.goto("/desk/shifts/")
    other.click("button:has-text('Take it')")
    other.wait_for_selector("text=The shift is yours.")
    other.context.close()

    shift.refresh_from_db()
    assert shift.user == agent
    assert ShiftSwap.objects.get().status == SwapStatus.ACCEPTED
