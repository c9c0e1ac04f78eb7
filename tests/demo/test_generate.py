"""The generator writes what real traffic through the actions would have written."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.conversations import actions, queues, search
from everydesk.conversations.models import (
    OPEN_STATUSES,
    Conversation,
    Event,
    EventType,
    Kind,
    Message,
    MessageKind,
    Status,
)
from everydesk.customers.models import Customer
from everydesk.demo.generate import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> list[Conversation]:
    generate(conversations=400, customers=80, seed=3, progress=False)
    return list(Conversation.objects.order_by("id"))


def _messages_by_conversation() -> dict[int, list[Message]]:
    found: dict[int, list[Message]] = defaultdict(list)
    for message in Message.objects.order_by("created_at", "id"):
        found[message.conversation_id].append(message)
    return found


def test_generator_creates_the_requested_counts_with_every_kind_and_status(loaded):
    assert len(loaded) == 400
    assert Customer.objects.count() == 80
    assert {c.kind for c in loaded} >= {Kind.COMPLAINT, Kind.PRAISE, Kind.QUESTION, Kind.IDEA}
    assert {c.status for c in loaded} == set(Status.values)
    counts = Counter(m.conversation_id for m in Message.objects.all())
    assert set(counts) == {c.pk for c in loaded}
    assert set(counts.values()) == {1, 2, 3, 4, 5}


def test_fixed_message_count_gives_every_conversation_that_many_messages():
    generate(conversations=50, customers=10, messages=3, seed=4, progress=False)
    counts = Counter(Message.objects.values_list("conversation_id", flat=True))
    assert set(counts.values()) == {3}


def test_timestamps_are_consistent_and_in_the_past(loaded):
    now = timezone.now()
    threads = _messages_by_conversation()
    customers = Customer.objects.in_bulk()
    for conversation in loaded:
        thread = threads[conversation.pk]
        first = thread[0]
        assert first.kind == MessageKind.CUSTOMER and first.created_at == conversation.created_at
        assert customers[conversation.customer_id].created_at < conversation.created_at
        assert now - dt.timedelta(days=121) < conversation.created_at <= conversation.updated_at
        assert conversation.updated_at <= now
        assert all(m.created_at <= conversation.updated_at for m in thread)
        replies = [m.created_at for m in thread if m.kind == MessageKind.REPLY]
        assert conversation.first_response_at == (min(replies) if replies else None)
        from_customer = [m.created_at for m in thread if m.kind == MessageKind.CUSTOMER]
        assert conversation.last_customer_message_at == max(from_customer)
        if conversation.status == Status.SOLVED:
            assert conversation.created_at <= conversation.solved_at <= conversation.updated_at
        if conversation.status in OPEN_STATUSES:
            assert conversation.solved_at is None


def test_new_conversations_have_no_reply_and_closed_ones_end_with_one(loaded):
    threads = _messages_by_conversation()
    for conversation in loaded:
        kinds = [m.kind for m in threads[conversation.pk]]
        public = [k for k in kinds if k != MessageKind.NOTE]
        if conversation.status == Status.NEW:
            assert MessageKind.REPLY not in kinds
        if (
            conversation.status in (Status.PENDING, Status.SOLVED, Status.CLOSED)
            and len(public) > 1
        ):
            assert public[-1] == MessageKind.REPLY


def test_timeline_follows_the_rules_of_the_actions_and_ends_at_the_status(loaded):
    events: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.order_by("created_at", "id"):
        events[event.conversation_id].append(event)
    message_ids = set(Message.objects.values_list("id", flat=True))
    for conversation in loaded:
        timeline = events[conversation.pk]
        assert timeline[0].type == EventType.OPENED
        assert [e.type for e in timeline].count(EventType.OPENED) == 1
        status = Status.NEW
        for event, following in zip(timeline, [*timeline[1:], None], strict=True):
            if event.type == EventType.CUSTOMER_MESSAGE and status in (
                Status.PENDING,
                Status.SOLVED,
            ):  # the customer writing again reopens, as add_customer_message does
                assert following.type == EventType.STATUS_CHANGED
                assert following.data == {"old": status, "new": Status.OPEN}
            if event.type == EventType.STATUS_CHANGED:
                assert event.data["old"] == status
                status = event.data["new"]
            if event.type in (EventType.REPLIED, EventType.NOTE_ADDED, EventType.CUSTOMER_MESSAGE):
                assert event.data["message"] in message_ids
        assert status == conversation.status


def test_events_carry_the_same_data_as_the_actions_write(loaded, customer, agent):
    conversation = actions.open_conversation(customer=customer, subject="S", body="B")
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    actions.set_tags(conversation=conversation, actor=agent, names=["refund"])
    actions.add_reply(conversation=conversation, author=agent, body="R", status=Status.PENDING)
    actions.add_customer_message(conversation=conversation, customer=customer, body="C")
    actions.add_note(conversation=conversation, author=agent, body="N")
    real = {
        e.type: (set(e.data), e.actor_id is None)
        for e in Event.objects.filter(conversation=conversation)
    }
    generated = Event.objects.exclude(conversation=conversation)
    seen = set()
    for event in generated:
        if event.type in real and event.type != EventType.STATUS_CHANGED:
            assert set(event.data) == real[event.type][0], event.type
            seen.add(event.type)
    assert seen == set(real) - {EventType.STATUS_CHANGED}


def test_conversation_rows_fill_the_same_fields_as_the_actions(loaded, customer):
    real = actions.open_conversation(customer=customer, subject="S", body="B")
    message = real.messages.get()
    generated = (
        Conversation.objects.exclude(pk=real.pk).filter(status=Status.NEW, assignee=None).first()
    )
    generated_message = generated.messages.order_by("id").first()
    for field in ("last_customer_message_at", "first_response_at", "solved_at", "merged_into_id"):
        assert (getattr(generated, field) is None) == (getattr(real, field) is None), field
    assert generated_message.body_html == message.body_html == ""
    assert generated_message.author_customer_id == generated.customer_id
    assert generated_message.author_user_id is None


def _longest_word(text: str) -> str:
    return max((w.strip("?!.,'") for w in text.split()), key=lambda w: (w.isalpha(), len(w)))


def test_search_finds_a_word_from_a_generated_subject_and_body(loaded):
    conversation = loaded[123]
    last = conversation.messages.order_by("-id").first()
    for text in (conversation.subject, last.body_text):
        found = search.search(
            Conversation.objects.all(), _longest_word(text), before=None, limit=1000
        )
        assert conversation.pk in found, text


def test_inbox_shows_exactly_the_generated_open_conversations(loaded, agent):
    still_open = sum(c.status in OPEN_STATUSES for c in loaded)
    assert 0 < still_open < len(loaded)
    assert queues.queue(agent, "open").count() == still_open


def test_running_twice_appends_without_id_clashes(loaded):
    first_conversation = max(c.pk for c in loaded)
    first_message = Message.objects.order_by("-id").values_list("id", flat=True)[0]
    generate(conversations=150, customers=0, seed=3, progress=False)
    assert Conversation.objects.count() == 550
    assert Customer.objects.count() == 80
    added = Conversation.objects.filter(pk__gt=first_conversation)
    assert added.count() == 150
    assert Message.objects.filter(conversation__in=added).order_by("id")[0].pk > first_message
    assert Event.objects.filter(conversation__in=added, type=EventType.OPENED).count() == 150


def test_customers_get_unique_made_up_addresses(loaded):
    generate(conversations=10, customers=80, seed=3, progress=False)  # same names again
    emails = list(Customer.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == 160
    assert all(
        e.rsplit("@", 1)[1].split(".")[-1] in ("example", "com", "net", "org") for e in emails
    )
    assert all(".example" in e or "@example." in e for e in emails)


def test_a_database_without_staff_gets_generated_agents_who_cannot_sign_in():
    generate(conversations=20, customers=5, seed=1, progress=False)
    agents = User.objects.filter(role=Role.AGENT)
    assert agents.exists()
    assert not any(a.has_usable_password() for a in agents)
    assert Conversation.objects.exclude(assignee=None).exists()


@pytest.mark.parametrize("query", ["order", "kettle", "zucchini", '"arrived damaged"', "thank*"])
def test_search_pages_are_the_same_whichever_index_finds_them(loaded, monkeypatch, query):
    """PostgreSQL walks the newest ids first, then asks the GIN index for the rest."""
    from everydesk.conversations.search import postgres

    everything = Conversation.objects.all()
    expected = search.search(everything, query, before=None, limit=1000)
    assert expected == sorted(expected, reverse=True)
    monkeypatch.setattr(postgres, "RECENT_WINDOW", 7)
    pages, before = [], None
    while True:
        page = search.search(everything, query, before=before, limit=10)
        pages += page
        if len(page) < 10:
            break
        before = page[-1]
    assert pages == expected
