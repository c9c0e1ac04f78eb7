"""The clock follows the conversation through the real actions."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.sla import clocks
from everydesk.sla.models import BusinessCalendar, ConversationSla, SlaPolicy, Target
from tests.sla.conftest import clock_of, near

HOUR = dt.timedelta(hours=1)


def test_opening_starts_first_response_and_resolution_deadlines(
    around_the_clock, customer, open_case
):
    case = open_case(customer)
    clock = clock_of(case)
    assert clock.policy == around_the_clock
    assert clock.first_response_due_at == case.created_at + HOUR
    assert clock.resolution_due_at == case.created_at + 24 * HOUR
    assert clock.next_response_due_at is None
    assert (clock.due_at, clock.due_target) == (case.created_at + HOUR, Target.FIRST_RESPONSE)


def test_a_conversation_without_a_matching_policy_gets_a_clock_with_no_deadline(
    customer, open_case
):
    clock = clock_of(open_case(customer))
    assert clock.policy is None
    assert clock.due_at is None


def test_a_reply_in_time_records_the_first_response_as_met(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Sorry! A new lamp is on its way.")
    clock = clock_of(case)
    assert clock.first_response_met is True
    assert clock.due_target == Target.RESOLUTION


def test_a_late_first_reply_is_recorded_as_missed(around_the_clock, customer, agent, open_case):
    case = open_case(customer)
    ConversationSla.objects.filter(pk=case.pk).update(first_response_due_at=timezone.now() - HOUR)
    actions.add_reply(conversation=case, author=agent, body="Sorry for the wait.")
    assert clock_of(case).first_response_met is False


def test_the_customer_writing_after_a_reply_starts_a_next_response_deadline(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Could you send a photo?")
    message = actions.add_customer_message(conversation=case, customer=customer, body="Here it is.")
    clock = clock_of(case)
    assert clock.next_response_due_at == message.created_at + 2 * HOUR
    assert clock.due_target == Target.NEXT_RESPONSE
    actions.add_reply(conversation=case, author=agent, body="Thanks, refund sent.")
    clock = clock_of(case)
    assert clock.next_response_met is True
    assert clock.next_response_due_at is None
    assert clock.due_target == Target.RESOLUTION


def test_a_second_customer_message_keeps_the_first_deadline(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Could you send a photo?")
    actions.add_customer_message(conversation=case, customer=customer, body="Here it is.")
    first = clock_of(case).next_response_due_at
    actions.add_customer_message(conversation=case, customer=customer, body="Hello? Anyone?")
    assert clock_of(case).next_response_due_at == first


def test_waiting_on_the_customer_pauses_every_deadline_with_its_time_left(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Which colour?", status=Status.PENDING)
    clock = clock_of(case)
    assert clock.paused_at is not None
    assert clock.due_at is None
    assert clock.badge == "paused"
    left = dt.timedelta(seconds=clock.paused_left[Target.RESOLUTION])
    assert near(timezone.now() + left, clock.resolution_due_at)


def test_time_spent_waiting_on_the_customer_is_not_counted(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Which colour?", status=Status.PENDING)
    clock = clock_of(case)
    left = dt.timedelta(seconds=clock.paused_left[Target.RESOLUTION])
    # Three hours pass while the customer thinks.
    ConversationSla.objects.filter(pk=case.pk).update(paused_at=timezone.now() - 3 * HOUR)
    actions.add_customer_message(conversation=case, customer=customer, body="Blue, please.")
    clock = clock_of(case)
    assert clock.paused_at is None
    assert near(clock.resolution_due_at, timezone.now() + left)
    assert clock.next_response_due_at is not None
    assert clock.due_target == Target.NEXT_RESPONSE


def test_solving_in_time_records_resolution_as_met_and_stops_the_clock(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Refund sent.", status=Status.SOLVED)
    clock = clock_of(case)
    assert clock.resolution_met is True
    assert clock.due_at is None


def test_solving_while_waiting_on_the_customer_counts_as_met(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Done?", status=Status.PENDING)
    ConversationSla.objects.filter(pk=case.pk).update(
        resolution_due_at=timezone.now() - HOUR  # the wall-clock deadline passed while paused
    )
    actions.change_status(conversation=case, actor=agent, status=Status.SOLVED)
    assert clock_of(case).resolution_met is True


def test_business_hours_put_a_friday_evening_deadline_on_monday(office_hours, customer, open_case):
    SlaPolicy.objects.create(name="Office", calendar=office_hours, first_response_minutes=120)
    case = open_case(customer)
    clock = clock_of(case)
    local = clock.first_response_due_at.astimezone(ZoneInfo("Europe/Paris"))
    assert local.weekday() < 5
    assert dt.time(9) < local.time() <= dt.time(17)


def test_backfill_gives_open_conversations_without_a_clock_one(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    solved = open_case(customer, "Solved already")
    actions.change_status(conversation=solved, actor=agent, status=Status.SOLVED)
    ConversationSla.objects.all().delete()  # as after a bulk load
    assert clocks.backfill() == 1
    assert clocks.backfill() == 0
    clock = clock_of(case)
    assert clock.policy == around_the_clock
    assert clock.due_at == case.created_at + HOUR


def test_a_calendar_too_sparse_for_a_target_gives_no_deadline_and_loses_no_message(
    open_case, customer
):
    sparse = BusinessCalendar.objects.create(
        name="Sunday quarter hour", time_zone="UTC", weekly_hours={"sun": [["00:00", "00:15"]]}
    )
    SlaPolicy.objects.create(
        name="Sparse", calendar=sparse, first_response_minutes=15, resolution_minutes=90 * 24 * 60
    )

    conversation = open_case(customer)

    clock = clock_of(conversation)
    assert clock.first_response_due_at is not None
    assert clock.resolution_due_at is None
    assert conversation.messages.count() == 1
