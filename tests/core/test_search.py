"""Full-text search behaves the same on SQLite FTS5 and PostgreSQL."""

import contextlib
import datetime as dt

import pytest

from everydesk.conversations import actions, search
from everydesk.conversations.filters import Filters, search_conversations
from everydesk.conversations.models import Conversation, Status


@pytest.fixture
def lamp(conversation):
    return conversation


@pytest.fixture
def invoice(customer):
    return actions.open_conversation(
        customer=customer,
        subject="Invoice question",
        body="Why was I charged twice for the subscription and the parcel?",
    )


def test_finds_words_in_subjects_and_bodies_with_stemming(lamp, invoice, agent):
    found, _ = search_conversations(agent, "crushed", Filters())
    assert found == [lamp]
    found, _ = search_conversations(agent, "charges", Filters())  # charged ~ charges
    assert found == [invoice]


def test_all_words_must_match_and_phrases_match_in_order(lamp, invoice, agent):
    assert search_conversations(agent, "invoice crushed", Filters())[0] == []
    assert search_conversations(agent, '"charged twice"', Filters())[0] == [invoice]
    assert search_conversations(agent, '"twice charged"', Filters())[0] == []


def test_prefix_search(invoice, agent):
    assert search_conversations(agent, "subscri*", Filters())[0] == [invoice]


def test_replies_and_notes_are_searchable_by_staff(lamp, agent):
    actions.add_note(conversation=lamp, author=agent, body="Courier reference ZX81")
    assert search_conversations(agent, "zx81", Filters())[0] == [lamp]


def test_customers_only_find_their_own(lamp, other_conversation, customer, other_customer):
    assert search_conversations(customer.user, "matter", Filters())[0] == []
    assert search_conversations(other_customer.user, "matter", Filters())[0] == [other_conversation]


def test_filters_narrow_results(lamp, invoice, agent, billing, vip, customer):
    actions.set_team(conversation=invoice, actor=agent, team=billing)
    actions.change_status(conversation=lamp, actor=agent, status=Status.SOLVED)
    assert search_conversations(agent, "parcel", Filters(team_id=billing.pk))[0] == [invoice]
    assert search_conversations(agent, "parcel", Filters(status="solved"))[0] == [lamp]
    assert search_conversations(agent, "parcel", Filters(kind="complaint"))[0] == [lamp]
    assert search_conversations(agent, "parcel", Filters(tier_id=vip.pk))[0] == []
    customer.tier = vip
    customer.save(update_fields=["tier"])
    assert len(search_conversations(agent, "parcel", Filters(tier_id=vip.pk))[0]) == 2
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert search_conversations(agent, "parcel", Filters(created_from=tomorrow))[0] == []


def test_pages_walk_newest_first_without_gaps(customer, agent):
    made = [
        actions.open_conversation(customer=customer, subject=f"Kettle {i}", body="kettle")
        for i in range(7)
    ]
    seen, before = [], None
    while True:
        page, before = search_conversations(agent, "kettle", Filters(), before=before, limit=3)
        seen += page
        if before is None:
            break
    assert [c.pk for c in seen] == sorted((c.pk for c in made), reverse=True)


def test_query_syntax_cannot_break_the_engine(lamp, agent):
    for query in ['"', "NEAR(", "a:b", "-x", "'; DROP TABLE", "***", "(lamp"]:
        with contextlib.suppress(search.EmptyQuery):
            search_conversations(agent, query, Filters())
    assert Conversation.objects.count() == 1


def test_a_query_with_no_words_is_refused_clearly(agent):
    with pytest.raises(search.EmptyQuery, match="at least one word"):
        search_conversations(agent, "  ?! ", Filters())


def test_order_numbers_are_found_by_their_digits(customer, agent):
    order = actions.open_conversation(
        customer=customer, subject="Order ED-482913 is late", body="Where is my order?"
    )
    assert search_conversations(agent, "482913", Filters())[0] == [order]
    assert search_conversations(agent, "ED-482913", Filters())[0] == [order]
