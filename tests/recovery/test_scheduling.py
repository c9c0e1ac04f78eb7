"""A solved complaint gets its follow-ups by policy, through the real status action."""

from datetime import timedelta

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, EventType, Kind, Status
from everydesk.recovery.models import (
    Contact,
    FollowUp,
    FollowUpStatus,
    OwnerRule,
    SolvedComplaint,
)
from tests.recovery.conftest import make_policy


def test_solving_a_complaint_schedules_each_step_for_the_person_who_solved_it(
    conversation, agent, policy, solve
):
    conversation = solve(conversation, agent)
    follow_ups = list(FollowUp.objects.filter(conversation=conversation).order_by("due_at"))
    assert [(f.contact, f.owner, f.status) for f in follow_ups] == [
        (Contact.CALL, agent, FollowUpStatus.PENDING),
        (Contact.EMAIL, agent, FollowUpStatus.PENDING),
    ]
    assert [f.due_at - conversation.solved_at for f in follow_ups] == [
        timedelta(days=2),
        timedelta(days=14),
    ]
    assert follow_ups[0].instructions == "Ask whether the replacement arrived."
    scheduled = conversation.events.filter(type=EventType.FOLLOW_UP_SCHEDULED)
    assert scheduled.count() == 2
    assert SolvedComplaint.objects.get(conversation=conversation).customer == conversation.customer


def test_reopening_and_solving_again_does_not_double_them_but_retimes_them(
    conversation, customer, agent, policy, solve
):
    first = solve(conversation, agent)
    first_due = set(FollowUp.objects.values_list("due_at", flat=True))
    actions.add_customer_message(conversation=first, customer=customer, body="Still broken!")
    assert Conversation.objects.get(pk=first.pk).status == Status.OPEN
    again = solve(Conversation.objects.get(pk=first.pk), agent)
    assert FollowUp.objects.count() == 2
    assert again.solved_at > first.solved_at
    due = FollowUp.objects.order_by("due_at").values_list("due_at", flat=True)
    assert list(due) == [again.solved_at + timedelta(days=d) for d in (2, 14)]
    assert set(due) != first_due


def test_done_follow_ups_are_left_alone_when_solved_again(conversation, agent, policy, solve):
    solve(conversation, agent)
    call = FollowUp.objects.get(contact=Contact.CALL)
    FollowUp.objects.filter(pk=call.pk).update(status=FollowUpStatus.DONE)
    email = FollowUp.objects.get(contact=Contact.EMAIL)
    solve(conversation, agent, Status.OPEN)
    solve(Conversation.objects.get(pk=conversation.pk), agent)
    assert FollowUp.objects.get(pk=call.pk).due_at == call.due_at  # done: not moved
    assert FollowUp.objects.get(pk=email.pk).due_at > email.due_at  # pending: re-timed
    assert FollowUp.objects.count() == 2


def test_questions_get_no_follow_ups(other_conversation, agent, policy, solve):
    solve(other_conversation, agent)
    assert not FollowUp.objects.exists()
    assert not SolvedComplaint.objects.exists()


def test_no_policy_means_no_follow_ups_but_the_complaint_still_counts(conversation, agent, solve):
    solve(conversation, agent)
    assert not FollowUp.objects.exists()
    assert SolvedComplaint.objects.filter(conversation=conversation).exists()


def test_the_most_specific_policy_wins(conversation, customer, vip, agent, manager, policy, solve):
    customer.tier = vip
    customer.save(update_fields=["tier"])
    vip.owner = manager
    vip.save(update_fields=["owner"])
    vip_policy = make_policy("VIP complaints", tier=vip, owner_rule=OwnerRule.TIER_OWNER)
    vip_policy.steps.filter(position=2).delete()
    solve(conversation, agent)
    follow_up = FollowUp.objects.get()
    assert (follow_up.step.policy, follow_up.owner) == (vip_policy, manager)


def test_a_negative_only_policy_skips_a_calm_complaint(conversation, agent, solve):
    make_policy("Angry complaints", negative_only=True)
    Conversation.objects.filter(pk=conversation.pk).update(sentiment=0.4)
    solve(conversation, agent)
    assert not FollowUp.objects.exists()


def test_a_negative_only_policy_takes_an_angry_complaint(conversation, agent, solve):
    make_policy("Angry complaints", negative_only=True)
    Conversation.objects.filter(pk=conversation.pk).update(sentiment=-0.7)
    solve(conversation, agent)
    assert FollowUp.objects.count() == 2


def test_a_team_rule_gives_them_to_the_least_loaded_member(
    customer, agent, employee, billing, solve
):
    billing.members.add(agent)
    make_policy("Billing calls back", owner_rule=OwnerRule.TEAM, owner_team=billing)
    owners = []
    for n in range(2):
        complaint = actions.open_conversation(
            customer=customer, subject=f"Overcharged {n}", body="Twice.", kind=Kind.COMPLAINT
        )
        solve(complaint, agent)
        owners.append(
            set(FollowUp.objects.filter(conversation=complaint).values_list("owner", flat=True))
        )
    assert owners == [{agent.pk}, {employee.pk}]  # agent has the lower id, then is busier


def test_a_customer_solving_it_gives_them_to_the_assignee(
    conversation, customer, agent, policy, solve
):
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    solve(conversation, None)
    assert set(FollowUp.objects.values_list("owner", flat=True)) == {agent.pk}


def test_merging_a_solved_complaint_away_cancels_its_pending_follow_ups(
    conversation, customer, agent, policy, solve, django_capture_on_commit_callbacks
):
    solve(conversation, agent)
    target = actions.open_conversation(customer=customer, subject="Same lamp", body="Again.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.merge(source=conversation, target=target, actor=agent)
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUpStatus.CANCELLED}
    assert conversation.events.filter(type=EventType.FOLLOW_UP_CANCELLED).count() == 2
    assert not SolvedComplaint.objects.filter(conversation=conversation).exists()
