"""Offering a shift: to everyone eligible, or to one named colleague, who hears of it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.frontline import swaps
from everydesk.frontline.models import ShiftSwap, SwapStatus
from everydesk.lib.errors import ActionError
from everydesk.notifications.models import Notification

from .conftest import next_monday


def test_staff_member_offers_their_shift_to_everyone(client, employee, make_shift):
    shift = make_shift(employee)
    client.force_login(employee)

    response = client.post(f"/desk/shifts/{shift.pk}/offer/", {"email": ""}, follow=True)

    assert response.status_code == 200
    swap = ShiftSwap.objects.get(shift=shift)
    assert (swap.offered_by, swap.asked, swap.status) == (employee, None, SwapStatus.OPEN)
    assert "Offered to your colleagues." in response.content.decode()


def test_asking_a_named_colleague_notifies_them(client, employee, agent, make_shift):
    shift = make_shift(employee)
    client.force_login(employee)

    client.post(f"/desk/shifts/{shift.pk}/offer/", {"email": "ALICE@staff.test"})

    swap = ShiftSwap.objects.get(shift=shift)
    assert swap.asked == agent
    note = Notification.objects.get(user=agent, kind="shift_swap_asked")
    assert "Eve" in note.title and note.url == "/desk/shifts/"


def test_nobody_can_offer_someone_elses_shift(client, employee, agent, make_shift):
    shift = make_shift(agent)
    client.force_login(employee)

    response = client.post(f"/desk/shifts/{shift.pk}/offer/", {"email": ""})

    assert response.status_code == 404
    assert not ShiftSwap.objects.exists()


def test_a_past_or_started_shift_cannot_be_offered(employee, make_shift):
    shift = make_shift(employee, timezone.now() - timedelta(minutes=30))

    with pytest.raises(ActionError, match="started"):
        swaps.offer_shift(user=employee, shift=shift)
    assert not ShiftSwap.objects.exists()


def test_a_shift_is_offered_once_at_a_time(employee, make_shift):
    shift = make_shift(employee)
    swaps.offer_shift(user=employee, shift=shift)

    with pytest.raises(ActionError, match="already offered"):
        swaps.offer_shift(user=employee, shift=shift)
    assert ShiftSwap.objects.count() == 1


def test_asking_a_colleague_who_already_serves_then_is_refused_with_a_message(
    client, employee, agent, make_shift
):
    shift = make_shift(employee)
    make_shift(agent, shift.starts_at + timedelta(hours=1))
    client.force_login(employee)

    response = client.post(f"/desk/shifts/{shift.pk}/offer/", {"email": agent.email}, follow=True)

    assert "Alice has a shift at that time." in response.content.decode()
    assert not ShiftSwap.objects.exists()
    assert not Notification.objects.filter(user=agent).exists()


def test_asking_a_colleague_outside_their_availability_is_refused(employee, agent, make_shift):
    agent.time_zone = "Asia/Tokyo"  # 10:00 UTC Monday is 19:00 in Tokyo
    agent.save()
    shift = make_shift(employee, next_monday(10))

    with pytest.raises(ActionError, match="not available"):
        swaps.offer_shift(user=employee, shift=shift, asked=agent)


def test_asking_someone_the_rule_leaves_out_or_a_customer_is_refused(
    client, employee, agent, customer, rule, make_shift
):
    rule.roles = ["employee"]
    rule.save()
    shift = make_shift(employee)
    client.force_login(employee)

    for email in (agent.email, customer.email):
        response = client.post(f"/desk/shifts/{shift.pk}/offer/", {"email": email}, follow=True)
        assert "is not in this rotation" in response.content.decode()
    response = client.post(
        f"/desk/shifts/{shift.pk}/offer/", {"email": "nobody@x.test"}, follow=True
    )
    assert "No colleague signs in as nobody@x.test" in response.content.decode()
    assert not ShiftSwap.objects.exists()


def test_customers_and_strangers_cannot_reach_the_offer(client, customer, employee, make_shift):
    shift = make_shift(employee)
    assert client.post(f"/desk/shifts/{shift.pk}/offer/").status_code == 302  # sign in first
    client.force_login(customer.user)
    assert client.post(f"/desk/shifts/{shift.pk}/offer/").status_code == 404
    assert not ShiftSwap.objects.exists()
