"""A named colleague declines (the giver is told); the giver withdraws an offer."""

from everydesk.frontline import swaps
from everydesk.frontline.models import Shift, ShiftSwap, SwapStatus
from everydesk.notifications.models import Notification


def test_the_colleague_asked_declines_and_the_giver_is_told(client, employee, agent, make_shift):
    swap = swaps.offer_shift(user=employee, shift=make_shift(employee), asked=agent)
    client.force_login(agent)

    response = client.post(f"/desk/shifts/swaps/{swap.pk}/decline/", follow=True)

    assert "Declined." in response.content.decode()
    swap.refresh_from_db()
    assert swap.status == SwapStatus.DECLINED and swap.taken_by is None
    assert Shift.objects.get(pk=swap.shift_id).user == employee
    note = Notification.objects.get(user=employee, kind="shift_swap_declined")
    assert "Alice" in note.title


def test_only_the_colleague_asked_may_decline(client, employee, agent, make_shift):
    swap = swaps.offer_shift(user=employee, shift=make_shift(employee))
    client.force_login(agent)

    response = client.post(f"/desk/shifts/swaps/{swap.pk}/decline/", follow=True)

    assert "Only the colleague asked can decline." in response.content.decode()
    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.OPEN


def test_the_giver_withdraws_an_offer_and_can_offer_again(client, employee, agent, make_shift):
    shift = make_shift(employee)
    swap = swaps.offer_shift(user=employee, shift=shift)
    client.force_login(agent)
    client.post(f"/desk/shifts/swaps/{swap.pk}/withdraw/")
    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.OPEN  # not agent's to withdraw

    client.force_login(employee)
    client.post(f"/desk/shifts/swaps/{swap.pk}/withdraw/")

    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.WITHDRAWN
    assert swaps.offer_shift(user=employee, shift=shift).status == SwapStatus.OPEN
