"""Which conversations the shift inbox offers, and in what order (frontline/shift_inbox.py)."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Kind, Priority
from everydesk.frontline import shift_inbox

pytestmark = pytest.mark.django_db


def offered() -> list[int]:
    return [c.pk for c in shift_inbox.pool()]


def test_questions_and_praise_come_before_ideas_then_other_then_mild_complaints(customer, asked):
    complaint = asked(customer, "Slightly late", kind=Kind.COMPLAINT, sentiment=0.1)
    other = asked(customer, "Just so you know", kind=Kind.OTHER)
    idea = asked(customer, "Add dark mode", kind=Kind.IDEA)
    praise = asked(customer, "Lovely service", kind=Kind.PRAISE)
    question = asked(customer, "Where is my order?", kind=Kind.QUESTION)
    assert offered() == [praise.pk, question.pk, idea.pk, other.pk, complaint.pk]


def test_within_a_kind_the_inbox_order_holds_priority_then_age(customer, asked):
    older = asked(customer, "Older")
    newer_high = asked(customer, "Newer but high", priority=Priority.HIGH)
    newest = asked(customer, "Newest")
    assert offered() == [newer_high.pk, older.pk, newest.pk]


def test_escalations_are_never_offered(customer, asked, vip, agent):
    calm = asked(customer, "Calm question")
    asked(customer, "Urgent", priority=Priority.URGENT)
    asked(customer, "Lawyer mentioned", urgency=40)
    asked(customer, "Furious", kind=Kind.COMPLAINT, sentiment=-0.8)
    asked(customer, "Not scored yet", sentiment=None)
    taken = asked(customer, "Already an agent's")
    actions.assign(conversation=taken, actor=agent, assignee=agent)
    assert offered() == [calm.pk]


def test_vip_customers_are_left_to_agents(customer, other_customer, asked, vip):
    other_customer.tier = vip
    other_customer.save(update_fields=["tier"])
    mine = asked(customer, "Standard")
    asked(other_customer, "VIP question")
    assert offered() == [mine.pk]


def test_the_excluded_tiers_are_a_setting(settings, customer, asked, vip):
    settings.SHIFT_EXCLUDED_TIERS = []
    customer.tier = vip
    customer.save(update_fields=["tier"])
    vip_question = asked(customer, "VIP question")
    assert offered() == [vip_question.pk]


def test_closed_solved_and_merged_conversations_are_not_offered(customer, asked, agent):
    solved = asked(customer, "Solved")
    actions.change_status(conversation=solved, actor=agent, status="solved")
    source, target = asked(customer, "Source"), asked(customer, "Target")
    actions.merge(source=source, target=target, actor=agent)
    assert offered() == [target.pk]


def test_the_sentiment_floor_for_complaints_is_a_setting(settings, customer, asked):
    settings.SHIFT_COMPLAINT_SENTIMENT_FLOOR = -0.9
    grumpy = asked(customer, "Grumpy", kind=Kind.COMPLAINT, sentiment=-0.8)
    assert offered() == [grumpy.pk]


def test_pages_are_one_query_each_and_say_whether_more_follow(
    customer, asked, django_assert_num_queries
):
    made = [asked(customer, f"Question {n}").pk for n in range(shift_inbox.PAGE_SIZE + 2)]
    with django_assert_num_queries(1):
        first = shift_inbox.page(1)
    second = shift_inbox.page(2)
    assert [c.pk for c in first.conversations] == made[: shift_inbox.PAGE_SIZE]
    assert first.has_next and not second.has_next
    assert [c.pk for c in second.conversations] == made[shift_inbox.PAGE_SIZE :]


def test_a_little_urgency_from_tone_alone_is_still_offered(customer, asked):
    # 8 points: an unhappy tone with no signal (signals weigh 15 or more).
    sighing = asked(customer, "Still waiting, sigh", urgency=8, sentiment=-0.33)
    asked(customer, "SHOUTING", urgency=15)
    assert offered() == [sighing.pk]
