"""Which conversations the shift inbox offers, and in what order (frontline/shift_inbox.py)."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Kind, Priority
from everydesk.frontline import shift_inbox
from everydesk.lib.keyset import BadCursor

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


def test_pages_are_one_query_and_carry_on_where_the_last_stopped(
    customer, asked, django_assert_num_queries
):
    made = [asked(customer, f"Question {n}").pk for n in range(shift_inbox.PAGE_SIZE + 2)]
    with django_assert_num_queries(1):
        first = shift_inbox.page()
    second = shift_inbox.page(first.next_cursor)
    assert [c.pk for c in first.conversations] == made[: shift_inbox.PAGE_SIZE]
    assert [c.pk for c in second.conversations] == made[shift_inbox.PAGE_SIZE :]
    assert second.next_cursor is None


def test_a_page_runs_on_into_the_next_kinds(customer, asked):
    ideas = [asked(customer, f"Idea {n}", kind=Kind.IDEA).pk for n in range(3)]
    questions = [asked(customer, f"Question {n}").pk for n in range(3)]
    first = shift_inbox.page(size=4)
    assert [c.pk for c in first.conversations] == questions + ideas[:1]
    rest = shift_inbox.page(first.next_cursor, size=4)
    assert [c.pk for c in rest.conversations] == ideas[1:]
    assert rest.next_cursor is None


def test_pages_and_the_full_order_agree(customer, asked):
    for n, kind in enumerate(
        [Kind.COMPLAINT, Kind.IDEA, Kind.PRAISE, Kind.OTHER, Kind.QUESTION] * 3
    ):
        asked(customer, f"Item {n}", kind=kind, sentiment=0.3)
    paged, after = [], None
    while True:
        found = shift_inbox.page(after, size=4)
        paged += [c.pk for c in found.conversations]
        if not (after := found.next_cursor):
            break
    assert paged == offered()


def test_a_malformed_cursor_is_refused(db):
    with pytest.raises(BadCursor):
        shift_inbox.page("7.x")


def test_a_little_urgency_from_tone_alone_is_still_offered(customer, asked):
    # 8 points: an unhappy tone with no signal (signals weigh 15 or more).
    sighing = asked(customer, "Still waiting, sigh", urgency=8, sentiment=-0.33)
    asked(customer, "SHOUTING", urgency=15)
    assert offered() == [sighing.pk]
