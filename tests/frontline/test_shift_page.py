"""The shift inbox page /desk/shift/ (desk/views/shift.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from everydesk.conversations.models import Kind
from everydesk.frontline import routing
from everydesk.frontline.models import Shift

pytestmark = pytest.mark.django_db

SHIFT = reverse("desk:shift")


def test_on_shift_the_page_lists_what_may_be_taken_and_what_was_taken(
    signed_in, employee, on_shift, customer, asked
):
    on_shift(employee)
    asked(customer, "Add gift wrapping", kind=Kind.IDEA)
    asked(customer, "Threatening to sue", urgency=60)
    asked(customer, "Thank you!", kind=Kind.PRAISE)
    routing.take_next(user=employee)  # praise comes before ideas
    html = signed_in(employee).get(SHIFT).content.decode()
    assert "Take next" in html
    taken, _, pool = html.partition("Waiting for someone on shift")
    assert "Thank you!" in taken and "waiting for your reply" in taken
    assert "Add gift wrapping" in pool and "Thank you!" not in pool
    assert "Threatening to sue" not in html


def test_off_shift_the_page_gives_the_next_shift_and_the_shifts_page(signed_in, employee):
    starts = timezone.now() + timedelta(days=2)
    Shift.objects.create(user=employee, starts_at=starts, ends_at=starts + timedelta(hours=3))
    employee.time_zone = "Europe/Paris"
    employee.save(update_fields=["time_zone"])
    html = signed_in(employee).get(SHIFT).content.decode()
    assert "You are not on shift right now" in html
    local = timezone.localtime(starts, timezone=__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert local.strftime("%H:%M") in html
    assert 'href="/desk/shifts/"' in html
    assert "Take next" not in html


def test_someone_with_no_shift_planned_is_told_so(signed_in, employee):
    assert "You have no shift planned." in signed_in(employee).get(SHIFT).content.decode()


def test_agents_are_pointed_to_their_inbox(signed_in, agent, on_shift):
    on_shift(agent)
    html = signed_in(agent).get(SHIFT).content.decode()
    assert "Agents work the" in html


def test_employees_find_the_shift_inbox_in_the_nav(signed_in, employee, agent):
    assert f'href="{SHIFT}"' in signed_in(employee).get(reverse("desk:inbox")).content.decode()
    assert f'href="{SHIFT}"' not in signed_in(agent).get(reverse("desk:inbox")).content.decode()


def test_anonymous_visitors_sign_in_first(client):
    assert client.get(SHIFT)["Location"].startswith(reverse("accounts:login"))


def test_the_page_costs_the_same_queries_however_long_the_pool(
    signed_in, employee, on_shift, customer, other_customer, asked, django_assert_max_num_queries
):
    on_shift(employee)
    for n in range(30):
        asked(customer if n % 2 else other_customer, f"Question {n}")
    for _ in range(3):
        routing.take_next(user=employee)
    client = signed_in(employee)
    # Session, user, current shift, takes, pool page, the bell's count.
    with django_assert_max_num_queries(8):
        response = client.get(SHIFT)
    assert response.content.decode().count("Question ") == 28
