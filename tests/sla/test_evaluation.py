"""The periodic check warns before a deadline, escalates a breach, and does each once."""

import datetime as dt

from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Event, EventType, Priority, Status
from everydesk.notifications.models import Notification
from everydesk.sla import evaluation, tasks
from everydesk.sla.models import ConversationSla
from tests.sla.conftest import clock_of

MINUTE = dt.timedelta(minutes=1)


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_deadline_inside_the_warning_window_warns_the_assignee_once(
    around_the_clock, customer, agent, admin, open_case
):
    case = open_case(customer)
    actions.assign(conversation=case, actor=admin, assignee=agent)
    due = clock_of(case).due_at
    evaluation.run(due - 10 * MINUTE)
    evaluation.run(due - 5 * MINUTE)
    note = Notification.objects.get(user=agent)
    assert note.kind == "sla_warning"
    assert f"#{case.pk}" in note.title
    assert note.url == f"/desk/c/{case.pk}/"
    assert _kinds(admin) == []
    assert clock_of(case).badge == "due soon"


def test_nothing_is_said_before_the_warning_window(
    around_the_clock, customer, agent, admin, open_case
):
    case = open_case(customer)
    actions.assign(conversation=case, actor=admin, assignee=agent)
    evaluation.run(clock_of(case).due_at - 20 * MINUTE)  # the policy warns 15 minutes ahead
    assert not Notification.objects.exists()


def test_an_unassigned_team_conversation_warns_the_team(
    around_the_clock, customer, admin, employee, billing, open_case
):
    case = open_case(customer, team=billing)
    evaluation.run(clock_of(case).due_at - MINUTE)
    assert _kinds(employee) == ["sla_warning"]
    assert _kinds(admin) == []


def test_a_conversation_nobody_holds_warns_the_admins(
    around_the_clock, customer, admin, agent, open_case
):
    case = open_case(customer)
    evaluation.run(clock_of(case).due_at - MINUTE)
    assert _kinds(admin) == ["sla_warning"]
    assert _kinds(agent) == []


def test_a_breach_is_escalated_to_the_assignees_manager_once(
    around_the_clock, customer, agent, admin, manager, open_case
):
    agent.manager = manager
    agent.save(update_fields=["manager"])
    case = open_case(customer)
    actions.assign(conversation=case, actor=admin, assignee=agent)
    due = clock_of(case).due_at
    first = evaluation.run(due + MINUTE)
    again = evaluation.run(due + 2 * MINUTE)
    assert (first.breached, again.breached) == (1, 0)
    assert _kinds(agent) == ["sla_breached"]
    assert _kinds(manager) == ["sla_breached"]
    event = Event.objects.get(conversation=case, type=EventType.SLA_BREACHED)
    assert event.data["target"] == "first response"
    assert clock_of(case).badge == "breached"


def test_a_breach_raises_the_priority_and_says_why(around_the_clock, customer, admin, open_case):
    case = open_case(customer)
    evaluation.run(clock_of(case).due_at + MINUTE)
    case = Conversation.objects.get(pk=case.pk)
    assert case.priority == Priority.HIGH
    assert ["SLA breached", 40] in case.priority_reasons
    assert case.priority_score >= 40


def test_a_priority_a_person_chose_is_kept_when_the_score_moves(
    around_the_clock, customer, agent, admin, open_case
):
    case = open_case(customer)
    actions.change_priority(conversation=case, actor=agent, priority=Priority.LOW)
    evaluation.run(clock_of(case).due_at + MINUTE)
    case = Conversation.objects.get(pk=case.pk)
    assert case.priority == Priority.LOW
    assert case.priority_score >= 40  # the score still shows why it would be higher


def test_a_clock_waiting_on_the_customer_neither_warns_nor_breaches(
    around_the_clock, customer, agent, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Which size?", status=Status.PENDING)
    outcome = evaluation.run(timezone.now() + dt.timedelta(days=3))
    assert (outcome.warned, outcome.breached) == (0, 0)
    assert not Notification.objects.exists()


def test_a_solved_conversation_is_never_escalated(around_the_clock, customer, agent, open_case):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Refunded.", status=Status.SOLVED)
    outcome = evaluation.run(timezone.now() + dt.timedelta(days=3))
    assert outcome.breached == 0
    assert not Event.objects.filter(type=EventType.SLA_BREACHED).exists()


def test_the_minute_job_escalates_what_is_overdue(around_the_clock, customer, admin, open_case):
    case = open_case(customer)
    ConversationSla.objects.filter(pk=case.pk).update(due_at=timezone.now() - MINUTE)
    tasks.evaluate_slas()
    assert _kinds(admin) == ["sla_breached"]


def test_many_breaches_at_once_reach_each_person_in_one_notification(
    around_the_clock, customer, admin, open_case
):
    cases = [open_case(customer, subject=f"Case {n}") for n in range(3)]
    evaluation.run(max(clock_of(c).due_at for c in cases) + MINUTE)
    note = Notification.objects.get(user=admin)
    assert note.title == "3 conversations missed their SLA"
    assert Event.objects.filter(type=EventType.SLA_BREACHED).count() == 3
