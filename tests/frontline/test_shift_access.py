"""Who sees what because of a shift (conversations/access.py)."""

import pytest
from django.urls import reverse

from everydesk.conversations import access
from everydesk.conversations.models import Kind
from everydesk.frontline import routing, shift_inbox

pytestmark = pytest.mark.django_db


def page(conversation) -> str:
    return reverse("desk:conversation", args=[conversation.pk])


def test_an_employee_on_shift_sees_what_the_shift_inbox_offers(
    signed_in, employee, on_shift, customer, asked
):
    on_shift(employee)
    question = asked(customer)
    assert list(access.visible_conversations(employee)) == [question]
    assert signed_in(employee).get(page(question)).status_code == 200


def test_an_employee_on_shift_does_not_see_escalations(
    signed_in, employee, on_shift, customer, asked
):
    on_shift(employee)
    angry = asked(customer, "Furious", kind=Kind.COMPLAINT, sentiment=-0.9)
    assert signed_in(employee).get(page(angry)).status_code == 404


def test_off_shift_the_pool_is_not_visible(signed_in, employee, on_shift, customer, asked):
    shift = on_shift(employee)
    shift.starts_at = shift.ends_at  # a shift later today, not now
    shift.save(update_fields=["starts_at"])
    question = asked(customer)
    assert not access.visible_conversations(employee).exists()
    assert signed_in(employee).get(page(question)).status_code == 404


def test_what_someone_else_took_leaves_the_pool_and_their_sight(
    signed_in, employee, colleague, on_shift, customer, asked
):
    on_shift(employee)
    on_shift(colleague)
    question = asked(customer)
    routing.take_next(user=colleague)
    assert signed_in(employee).get(page(question)).status_code == 404
    assert signed_in(colleague).get(page(question)).status_code == 200


def test_what_they_took_stays_visible_after_the_shift(
    signed_in, employee, on_shift, customer, asked
):
    shift = on_shift(employee)
    question = asked(customer)
    routing.take_next(user=employee)
    shift.delete()
    assert signed_in(employee).get(page(question)).status_code == 200


def test_a_customer_with_a_shift_row_sees_nothing_extra(
    signed_in, customer, other_customer, on_shift, asked
):
    on_shift(customer.user)
    oscars = asked(other_customer, "Oscar's question")
    assert not access.visible_conversations(customer.user).filter(pk=oscars.pk).exists()
    assert not shift_inbox.offered_to(customer.user).exists()
    assert signed_in(customer.user).get(reverse("desk:shift")).status_code == 404


def test_the_conversation_page_of_a_taken_one_shows_the_take_in_few_queries(
    signed_in, employee, on_shift, customer, asked, django_assert_max_num_queries
):
    on_shift(employee)
    asked(customer)
    question = routing.take_next(user=employee)
    client = signed_in(employee)
    # As for agents (tests/desk/test_conversation_page.py), plus the author's latest
    # review; the shift rule in access is a subquery, not a query.
    with django_assert_max_num_queries(16):
        html = client.get(page(question)).content.decode()
    assert "Eve took this on a front-line shift" in html
    assert "Ask a mentor to review" in html
