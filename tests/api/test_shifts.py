"""GET /shifts: the caller's own upcoming shifts, for staff only."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from everydesk.frontline import swaps
from everydesk.frontline.models import RotationRule, Shift
from tests.api.conftest import error_of


def _shift(user, days: int, rule=None) -> Shift:
    start = datetime.combine(timezone.now().date() + timedelta(days=days), time(10), UTC)
    return Shift.objects.create(
        user=user, rule=rule, starts_at=start, ends_at=start + timedelta(hours=2)
    )


def test_staff_see_their_own_upcoming_shifts_soonest_first(
    api, employee, agent, django_assert_max_num_queries
):
    rule = RotationRule.objects.create(name="Everyone")
    later, sooner = _shift(employee, 20, rule), _shift(employee, 9)
    _shift(employee, -3)  # over
    _shift(agent, 10)  # someone else's
    while later.starts_at.weekday() > 4:  # offers need a weekday in default availability
        Shift.objects.filter(pk=later.pk).update(starts_at=later.starts_at + timedelta(days=1))
        later.refresh_from_db()
    swaps.offer_shift(user=employee, shift=later)

    with django_assert_max_num_queries(4):
        response = api.get("/shifts", employee)

    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [sooner.pk, later.pk]
    assert [(i["rule"], i["offered"]) for i in items] == [(None, False), ("Everyone", True)]
    assert items[0]["starts_at"].startswith(sooner.starts_at.strftime("%Y-%m-%dT%H:%M"))


def test_customers_have_no_shifts(api, customer):
    response = api.get("/shifts", customer)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
