"""lib/direct_sql writes and reads rows exactly as the ORM does, in one statement each."""

import datetime as dt

from django.db import connection
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.conversations.models import Conversation, Event, EventType, Message, MessageKind
from everydesk.customers.models import Customer
from everydesk.lib import direct_sql


def test_insert_sets_the_id_and_the_generated_column_as_save_would(customer):
    conversation = Conversation(customer=customer, subject="Kettle", kind="complaint")
    direct_sql.insert(conversation)
    assert conversation.pk and not conversation._state.adding
    assert conversation.is_open is True  # computed by the database, returned with the id
    stored = Conversation.objects.get(pk=conversation.pk)
    for field in Conversation._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(conversation, field.attname), field.name


def test_insert_stores_datetimes_json_and_foreign_keys_faithfully(conversation, agent):
    moment = timezone.now() - dt.timedelta(days=3, microseconds=7)
    event = Event(
        conversation=conversation,
        type=EventType.OPENED,
        actor=agent,
        data={"channel": "api", "nested": [1, "ü"]},
        created_at=moment,
    )
    direct_sql.insert(event)
    stored = Event.objects.get(pk=event.pk)
    assert stored.created_at == moment
    assert stored.data == {"channel": "api", "nested": [1, "ü"]}
    assert stored.actor_id == agent.pk and stored.conversation_id == conversation.pk


def test_insert_is_one_statement(conversation, django_assert_num_queries):
    message = Message(conversation=conversation, kind=MessageKind.NOTE, body_text="hi")
    with django_assert_num_queries(1):
        direct_sql.insert(message)
    assert Message.objects.filter(pk=message.pk, body_text="hi").exists()


def test_insert_with_a_chosen_id_falls_back_to_save(customer):
    conversation = Conversation(pk=4242, customer=customer, subject="Chosen")
    direct_sql.insert(conversation)
    assert Conversation.objects.get(pk=4242).subject == "Chosen"


def test_columns_read_a_row_into_the_same_instance_the_orm_gives(agent):
    agent.last_login = timezone.now() - dt.timedelta(hours=5)
    agent.save(update_fields=["last_login"])
    columns = direct_sql.columns(User, "u")
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns.sql} FROM {table} u WHERE u.id = %s", [agent.pk])  # noqa: S608
        user = columns.instance(cursor.fetchone(), connection)
    orm = User.objects.get(pk=agent.pk)
    assert isinstance(user, User) and not user._state.adding
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(user, field.attname)) is type(getattr(orm, field.attname))


def test_convert_turns_a_raw_column_into_the_fields_type(agent):
    field = User._meta.get_field("date_joined")
    with connection.cursor() as cursor:
        cursor.execute("SELECT date_joined FROM accounts_user WHERE id = %s", [agent.pk])
        raw = cursor.fetchone()[0]
    assert direct_sql.convert(raw, field, "u") == User.objects.get(pk=agent.pk).date_joined


def test_insert_new_inserts_what_is_not_taken_in_one_statement(customer, django_assert_num_queries):
    taken = Customer(email=customer.email, name="Someone else")
    fresh = [Customer(email="new1@example.com"), Customer(email="new2@example.com")]
    again = Customer(email="new1@example.com", name="Second in the same call")

    with django_assert_num_queries(1):
        inserted = direct_sql.insert_new([taken, *fresh, again], unique="email")

    assert inserted == fresh and all(c.pk for c in fresh)
    assert taken.pk is None and again.pk is None
    assert Customer.objects.get(pk=customer.pk).name == customer.name  # left alone
    stored = Customer.objects.get(email="new1@example.com")
    assert stored.pk == fresh[0].pk and stored.created_at == fresh[0].created_at


def test_update_writes_only_the_named_fields(conversation, django_assert_num_queries):
    conversation.subject, conversation.priority = "Changed", 1
    with django_assert_num_queries(1):
        assert direct_sql.update(conversation, ["subject"]) is True
    stored = Conversation.objects.get(pk=conversation.pk)
    assert stored.subject == "Changed" and stored.priority != 1


def test_update_with_a_condition_writes_only_while_it_holds(conversation):
    status = conversation.status
    conversation.subject = "First writer"
    assert direct_sql.update(conversation, ["subject"], where={"status": status}) is True
    conversation.subject = "Second writer"
    assert direct_sql.update(conversation, ["subject"], where={"status": "closed"}) is False
    assert Conversation.objects.get(pk=conversation.pk).subject == "First writer"


def test_get_by_can_lock_the_row(conversation, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        locked = direct_sql.get_by(Conversation, "id", conversation.pk, for_update=True)
    assert locked == conversation
    locks = connection.features.has_select_for_update
    assert queries.captured_queries[0]["sql"].endswith("FOR UPDATE") is locks


def test_insert_rows_writes_many_rows_in_batches_with_each_fields_default(
    conversation, agent, django_assert_num_queries
):
    moment = timezone.now() - dt.timedelta(hours=5, microseconds=3)
    rows = [
        {
            "conversation_id": conversation.pk,
            "type": EventType.NOTE_ADDED,
            "actor_id": agent.pk,
            "created_at": moment + dt.timedelta(seconds=n),
            "data": {"n": n},
        }
        for n in range(4)
    ]
    rows.append({"conversation_id": conversation.pk, "type": EventType.NOTE_ADDED})

    with django_assert_num_queries(3):  # batches of 2, 2 and 1
        assert direct_sql.insert_rows(Event, rows, batch=2) == 5

    stored = list(Event.objects.filter(type=EventType.NOTE_ADDED).order_by("created_at"))
    assert [e.data for e in stored] == [{"n": n} for n in range(4)] + [{}]
    assert [e.created_at for e in stored[:4]] == [r["created_at"] for r in rows[:4]]
    assert stored[4].created_at > moment + dt.timedelta(hours=4)  # the default: now
    assert [e.actor_id for e in stored] == [agent.pk] * 4 + [None]
    assert direct_sql.insert_rows(Event, []) == 0
