"""Each person's calendar feed: valid iCalendar of their own shifts at a secret,
revocable address that needs no sign-in."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from everydesk.frontline import swaps
from everydesk.frontline.models import CalendarFeed, Shift

from .conftest import next_monday


def _make_link(client, user) -> str:
    client.force_login(user)
    response = client.post("/desk/shifts/calendar/")
    assert response.status_code == 200
    link = response.context["new_link"]
    client.logout()
    return link.removeprefix("http://localhost:8000")


def _events(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


@pytest.fixture
def shifts(employee, agent, make_shift) -> list[Shift]:
    return [
        make_shift(employee, next_monday(9)),
        make_shift(employee, next_monday(13, weeks=3)),
        make_shift(agent, next_monday(11)),
    ]


def test_the_feed_lists_the_persons_own_shifts_in_utc_with_their_zone(client, employee, shifts):
    employee.time_zone = "Europe/Lisbon"
    employee.save()
    path = _make_link(client, employee)

    calendar, events = _events(client, path)

    assert calendar["X-WR-TIMEZONE"] == "Europe/Lisbon"
    assert [e.decoded("dtstart") for e in events] == [s.starts_at for s in shifts[:2]]
    assert [e.decoded("dtend") for e in events] == [s.ends_at for s in shifts[:2]]
    assert all(e.decoded("dtstart").utcoffset() == timedelta(0) for e in events)
    assert [str(e["uid"]) for e in events] == [f"shift-{s.pk}@localhost" for s in shifts[:2]]
    assert b"DTSTART:" in client.get(path).content and b"Z\r\n" in client.get(path).content


def test_a_swapped_shift_leaves_the_givers_feed_and_joins_the_takers_with_the_same_uid(
    client, employee, agent, shifts
):
    giver, taker = _make_link(client, employee), _make_link(client, agent)
    swap = swaps.offer_shift(user=employee, shift=shifts[0])
    swaps.accept_swap(user=agent, swap=swap)

    _, giver_events = _events(client, giver)
    _, taker_events = _events(client, taker)

    assert [str(e["uid"]) for e in giver_events] == [f"shift-{shifts[1].pk}@localhost"]
    assert f"shift-{shifts[0].pk}@localhost" in [str(e["uid"]) for e in taker_events]


def test_a_deleted_shift_disappears_from_the_feed(client, employee, shifts):
    path = _make_link(client, employee)
    shifts[1].delete()

    _, events = _events(client, path)

    assert len(events) == 1


def test_a_new_link_stops_the_old_one_and_turning_it_off_stops_both(client, employee, shifts):
    old = _make_link(client, employee)
    new = _make_link(client, employee)

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200

    client.force_login(employee)
    client.post("/desk/shifts/calendar/revoke/")
    client.logout()
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_token_is_long_random_and_stored_only_as_a_digest(client, employee, agent):
    first = _make_link(client, employee)
    second = _make_link(client, agent)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")

    assert len(token) >= 43 and first != second
    assert not CalendarFeed.objects.filter(digest__contains=token).exists()
    assert token not in str(list(CalendarFeed.objects.values()))


def test_guessed_and_malformed_tokens_find_nothing(client, employee, shifts):
    _make_link(client, employee)
    for token in ("x", "0" * 43, str(employee.pk), employee.email):
        assert client.get(f"/frontline/calendar/{token}.ics").status_code == 404


def test_a_deactivated_persons_feed_stops(client, employee, shifts):
    path = _make_link(client, employee)
    employee.is_active = False
    employee.save()

    assert client.get(path).status_code == 404
