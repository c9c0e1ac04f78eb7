"""Taking conversations from the shift inbox (frontline/routing.py), through the buttons."""

import pytest
from django.urls import reverse

from everydesk.conversations.models import Conversation, Event, EventType, Kind
from everydesk.frontline import routing
from everydesk.frontline.models import ShiftTake
from everydesk.lib.errors import ActionError

pytestmark = pytest.mark.django_db

TAKE_NEXT = reverse("desk:shift_take_next")


def test_take_next_assigns_the_best_suitable_conversation_and_opens_it(
    signed_in, employee, on_shift, customer, asked
):
    shift = on_shift(employee)
    asked(customer, "An idea", kind=Kind.IDEA)
    question = asked(customer, "A question")
    response = signed_in(employee).post(TAKE_NEXT)
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:conversation", args=[question.pk])
    question.refresh_from_db()
    assert question.assignee == employee
    take = ShiftTake.objects.get()
    assert (take.shift, take.user, take.conversation) == (shift, employee, question)
    event = Event.objects.get(conversation=question, type=EventType.SHIFT_TAKEN)
    assert event.actor == employee and event.data == {"shift": shift.pk}


def test_two_people_on_shift_never_get_the_same_conversation(
    employee, colleague, on_shift, customer, asked
):
    on_shift(employee)
    on_shift(colleague)
    first, second = asked(customer, "First"), asked(customer, "Second")
    got = [routing.take_next(user=employee), routing.take_next(user=colleague)]
    assert [c.pk for c in got] == [first.pk, second.pk]
    assert routing.take_next(user=employee) is None  # the pool is empty now
    assert Conversation.objects.get(pk=first.pk).assignee == employee
    assert Conversation.objects.get(pk=second.pk).assignee == colleague


def test_a_conversation_someone_else_won_is_skipped_for_the_next(
    employee, colleague, on_shift, customer, asked
):
    on_shift(employee)
    shift = on_shift(colleague)
    first, second = asked(customer, "First"), asked(customer, "Second")
    # The colleague's claim lands between this person's read of the pool and their claim.
    assert routing._claim(colleague, shift, first.pk) is not None
    assert routing._claim(employee, shift, first.pk) is None
    assert routing.take_next(user=employee).pk == second.pk


def test_nobody_off_shift_gets_anything(signed_in, employee, customer, asked):
    question = asked(customer)
    response = signed_in(employee).post(TAKE_NEXT, follow=True)
    assert "You are not on shift now." in response.content.decode()
    question.refresh_from_db()
    assert question.assignee is None
    assert not ShiftTake.objects.exists()


def test_agents_do_not_take_from_the_shift_inbox(agent, on_shift, customer, asked):
    on_shift(agent)
    asked(customer)
    with pytest.raises(ActionError, match="for people on front-line shifts"):
        routing.take_next(user=agent)


def test_an_empty_pool_says_so_kindly(signed_in, employee, on_shift):
    on_shift(employee)
    response = signed_in(employee).post(TAKE_NEXT, follow=True)
    assert "Nothing suitable is waiting right now." in response.content.decode()


def test_one_person_holds_only_a_few_unanswered_at_once(
    settings, employee, on_shift, customer, asked
):
    settings.SHIFT_MAX_OPEN_TAKES = 2
    on_shift(employee)
    for n in range(3):
        asked(customer, f"Question {n}")
    routing.take_next(user=employee)
    routing.take_next(user=employee)
    with pytest.raises(ActionError, match="answer one before taking another"):
        routing.take_next(user=employee)
    assert ShiftTake.objects.count() == 2


def test_taking_one_from_the_list(signed_in, employee, on_shift, customer, asked):
    on_shift(employee)
    asked(customer, "First")
    second = asked(customer, "Second")
    response = signed_in(employee).post(reverse("desk:shift_take", args=[second.pk]))
    assert response["Location"] == reverse("desk:conversation", args=[second.pk])
    assert Conversation.objects.get(pk=second.pk).assignee == employee


def test_a_conversation_outside_the_pool_cannot_be_taken(
    signed_in, employee, on_shift, customer, asked
):
    on_shift(employee)
    angry = asked(customer, "Furious", kind=Kind.COMPLAINT, sentiment=-0.9)
    response = signed_in(employee).post(reverse("desk:shift_take", args=[angry.pk]), follow=True)
    assert "no longer in the shift inbox" in response.content.decode()
    assert Conversation.objects.get(pk=angry.pk).assignee is None


def test_a_conversation_that_turned_urgent_is_not_claimed(employee, on_shift, customer, asked):
    shift = on_shift(employee)
    question = asked(customer)
    Conversation.objects.filter(pk=question.pk).update(urgency=80)
    assert routing._claim(employee, shift, question.pk) is None
    assert Conversation.objects.get(pk=question.pk).assignee is None
