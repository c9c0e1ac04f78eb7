"""lib/direct_sql writes and reads rows exactly as the ORM does, in one statement each."""

import datetime as dt

from django.db import connection
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.conversations.models import Conversation, Event, EventType, Message, MessageKind
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
