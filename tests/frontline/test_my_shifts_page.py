"""'My shifts': a person's upcoming shifts in their zone, requests asked of them,
offers they could take, and their calendar link; nobody else's shifts."""

from datetime import timedelta

from everydesk.frontline import swaps
from everydesk.frontline.models import TimeOff

from .conftest import next_monday


def test_my_shifts_lists_upcoming_shifts_in_my_zone(client, employee, agent, make_shift):
    employee.time_zone = "Asia/Kolkata"  # UTC+05:30
    employee.save()
    make_shift(employee, next_monday(4))
    make_shift(agent, next_monday(6))
    client.force_login(employee)

    response = client.get("/desk/shifts/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "09:30\N{EN DASH}11:30" in page
    assert [s.user for s, _ in response.context["upcoming"]] == [employee]


def test_offers_i_could_take_are_listed_and_those_i_could_not_are_not(
    client, employee, agent, manager, make_shift, django_assert_max_num_queries
):
    fits = swaps.offer_shift(user=agent, shift=make_shift(agent, next_monday(10)))
    on_day_off = swaps.offer_shift(
        user=manager, shift=make_shift(manager, next_monday(10, weeks=2))
    )
    day = on_day_off.shift.starts_at.date()
    TimeOff.objects.create(user=employee, first_day=day, last_day=day)
    asked = swaps.offer_shift(
        user=manager, shift=make_shift(manager, next_monday(13)), asked=employee
    )
    for n in range(10):
        swaps.offer_shift(
            user=agent, shift=make_shift(agent, next_monday(10, weeks=3) + timedelta(days=n % 5))
        )
    client.force_login(employee)

    with django_assert_max_num_queries(14):
        response = client.get("/desk/shifts/")

    offers = response.context["offers"]
    assert fits in offers and on_day_off not in offers
    assert response.context["asked"] == [asked]


def test_customers_cannot_open_my_shifts(client, customer):
    client.force_login(customer.user)
    assert client.get("/desk/shifts/").status_code == 404
    client.logout()
    assert client.get("/desk/shifts/").status_code == 302
