"""`everydesk listen --backfill`: voices for customer messages without one, then scores."""

import pytest
from django.core.management import CommandError, call_command

from everydesk.conversations import actions
from everydesk.conversations.models import Message, MessageKind
from everydesk.demo import generate
from everydesk.listening.models import Voice

pytestmark = pytest.mark.django_db


def _run(capsys, *args):
    call_command("listen", *args, "--no-progress")
    return capsys.readouterr().out


def test_backfill_gives_every_customer_message_a_scored_voice(capsys, customer, agent):
    conversation = actions.open_conversation(customer=customer, subject="A", body="Broken lamp.")
    actions.add_reply(conversation=conversation, author=agent, body="Sorry!")
    actions.add_customer_message(conversation=conversation, customer=customer, body="Thanks!")
    Voice.objects.all().delete()  # as before listening existed
    out = _run(capsys, "--backfill")
    customer_messages = Message.objects.filter(kind=MessageKind.CUSTOMER)
    voices = Voice.objects.order_by("message_id")
    assert [v.message_id for v in voices] == sorted(customer_messages.values_list("pk", flat=True))
    assert all(v.scored_at and v.sentiment is not None for v in voices)
    assert "Voices created for customer messages without one: 2" in out
    assert "Voices scored: 2 (0 could not be scored)" in out


def test_running_it_again_does_nothing_more(capsys, customer):
    actions.open_conversation(customer=customer, subject="A", body="Broken lamp.")
    _run(capsys, "--backfill")
    scored_at = list(Voice.objects.values_list("scored_at", flat=True))
    out = _run(capsys, "--backfill")
    assert "without one: 0" in out and "Voices scored: 0" in out
    assert list(Voice.objects.values_list("scored_at", flat=True)) == scored_at


def test_generated_demo_data_ends_up_scored(capsys, db):
    generate.generate(customers=20, conversations=40, seed=3, progress=False)
    assert not Voice.objects.exists()  # the bulk generator writes no voices itself
    _run(capsys, "--backfill", "--batch-size", "16")
    customer_messages = Message.objects.filter(kind=MessageKind.CUSTOMER).count()
    assert Voice.objects.filter(scored_at__isnull=False).count() == customer_messages > 40


def test_without_backfill_it_scores_what_is_waiting(capsys, customer):
    actions.open_conversation(customer=customer, subject="A", body="Broken lamp.")
    assert "Voices scored: 1" in _run(capsys)
    assert Voice.objects.get().scored_at is not None


def test_a_bad_batch_size_is_refused(capsys, db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("listen", "--batch-size", "0")
