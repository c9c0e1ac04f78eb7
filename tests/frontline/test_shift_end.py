"""At shift end, what was taken and never answered goes back to the pool (routing.py),
and each shift's served count is kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Event, EventType
from everydesk.frontline import routing, shift_inbox
from everydesk.frontline.models import ShiftTake
from everydesk.frontline.tasks import return_unanswered_takes

pytestmark = pytest.mark.django_db


def end(shift) -> None:
    shift.ends_at = timezone.now() - timedelta(minutes=1)
    shift.save(update_fields=["ends_at"])


def test_unanswered_takes_go_back_to_the_pool_when_the_shift_ends(
    employee, on_shift, customer, asked
):
    shift = on_shift(employee)
    asked(customer)
    question = routing.take_next(user=employee)
    end(shift)
    return_unanswered_takes.call_local()
    question.refresh_from_db()
    assert question.assignee is None
    assert [c.pk for c in shift_inbox.pool()] == [question.pk]
    assert ShiftTake.objects.get().returned_at is not None
    event = Event.objects.get(conversation=question, type=EventType.SHIFT_RETURNED)
    assert event.data["holder"] == "Eve"


def test_answered_takes_stay_with_the_person_who_answered(employee, on_shift, customer, asked):
    shift = on_shift(employee)
    asked(customer)
    question = routing.take_next(user=employee)
    actions.add_reply(conversation=question, author=employee, body="Here is how it works.")
    take = ShiftTake.objects.get()
    assert take.answered_at is not None
    end(shift)
    assert routing.return_unanswered() == 0
    assert Conversation.objects.get(pk=question.pk).assignee == employee


def test_a_conversation_an_agent_reassigned_meanwhile_is_left_alone(
    employee, agent, on_shift, customer, asked
):
    shift = on_shift(employee)
    asked(customer)
    question = routing.take_next(user=employee)
    actions.assign(conversation=question, actor=agent, assignee=agent)
    end(shift)
    assert routing.return_unanswered() == 0
    assert Conversation.objects.get(pk=question.pk).assignee == agent
    assert not Event.objects.filter(type=EventType.SHIFT_RETURNED).exists()


def test_returning_twice_changes_nothing_more(employee, on_shift, customer, asked):
    shift = on_shift(employee)
    asked(customer)
    routing.take_next(user=employee)
    end(shift)
    assert routing.return_unanswered() == 1
    assert routing.return_unanswered() == 0
    assert Event.objects.filter(type=EventType.SHIFT_RETURNED).count() == 1


def test_a_running_shift_keeps_what_it_took(employee, on_shift, customer, asked):
    on_shift(employee)
    asked(customer)
    question = routing.take_next(user=employee)
    assert routing.return_unanswered() == 0
    assert Conversation.objects.get(pk=question.pk).assignee == employee


def test_served_counts_the_answered_conversations_of_each_shift(
    employee, colleague, on_shift, customer, asked
):
    mine, theirs = on_shift(employee), on_shift(colleague)
    for n in range(3):
        asked(customer, f"Question {n}")
    answered = routing.take_next(user=employee)
    routing.take_next(user=employee)
    actions.add_reply(conversation=answered, author=employee, body="Done.")
    routing.take_next(user=colleague)
    assert routing.served([mine.pk, theirs.pk]) == {mine.pk: 1}


def test_an_agents_reply_does_not_mark_anyone_elses_take(
    employee, agent, on_shift, customer, asked
):
    on_shift(employee)
    asked(customer)
    question = routing.take_next(user=employee)
    actions.add_reply(conversation=question, author=agent, body="Let me help.")
    assert ShiftTake.objects.get().answered_at is None
