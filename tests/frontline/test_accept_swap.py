"""Taking a colleague's shift: it moves to the taker, the giver hears of it, and
nobody takes a shift into an overlap, outside their availability or in the past."""

from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.frontline import swaps
from everydesk.frontline.models import Shift, ShiftSwap, SwapStatus, TimeOff
from everydesk.lib.errors import ActionError
from everydesk.notifications.models import Notification


@pytest.fixture
def offered(employee, make_shift) -> ShiftSwap:
    return swaps.offer_shift(user=employee, shift=make_shift(employee))


def test_a_colleague_takes_an_open_offer_and_the_giver_is_told(client, agent, employee, offered):
    client.force_login(agent)

    response = client.post(f"/desk/shifts/swaps/{offered.pk}/accept/", follow=True)

    assert "The shift is yours." in response.content.decode()
    shift = Shift.objects.get(pk=offered.shift_id)
    assert shift.user == agent
    offered.refresh_from_db()
    assert (offered.status, offered.taken_by) == (SwapStatus.ACCEPTED, agent)
    assert offered.decided_at is not None
    assert Notification.objects.filter(user=employee, kind="shift_swap_accepted").count() == 1


def test_an_offer_is_taken_once(agent, manager, offered):
    swaps.accept_swap(user=agent, swap=offered)

    with pytest.raises(ActionError, match="already accepted"):
        swaps.accept_swap(user=manager, swap=offered)
    assert Shift.objects.get(pk=offered.shift_id).user == agent


def test_nobody_takes_a_shift_into_an_overlap(agent, offered, make_shift):
    make_shift(agent, offered.shift.starts_at - timedelta(hours=1))

    with pytest.raises(ActionError, match="has a shift at that time"):
        swaps.accept_swap(user=agent, swap=offered)
    assert Shift.objects.get(pk=offered.shift_id).user_id == offered.offered_by_id


def test_nobody_takes_a_shift_on_their_day_off(agent, offered):
    day = offered.shift.starts_at.date()
    TimeOff.objects.create(user=agent, first_day=day, last_day=day)

    with pytest.raises(ActionError, match="not available"):
        swaps.accept_swap(user=agent, swap=offered)


def test_a_shift_that_has_started_can_no_longer_be_taken(agent, offered):
    Shift.objects.filter(pk=offered.shift_id).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )

    with pytest.raises(ActionError, match="started"):
        swaps.accept_swap(user=agent, swap=offered)


def test_a_request_to_one_colleague_cannot_be_taken_by_another(
    client, employee, agent, manager, make_shift
):
    swap = swaps.offer_shift(user=employee, shift=make_shift(employee), asked=agent)
    client.force_login(manager)

    response = client.post(f"/desk/shifts/swaps/{swap.pk}/accept/")

    assert response.status_code == 404
    assert Shift.objects.get(pk=swap.shift_id).user == employee


def test_the_giver_cannot_take_their_own_offer(employee, offered):
    with pytest.raises(ActionError, match="not offered to you"):
        swaps.accept_swap(user=employee, swap=offered)
