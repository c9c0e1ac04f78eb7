"""Every customer message, through any door, leaves one voice to score; staff writing none."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Channel, Kind
from everydesk.listening import intake
from everydesk.listening.models import Voice, VoiceSource
from everydesk.mail import inbound
from tests.api.conftest import Api
from tests.mail.messages import email_bytes

pytestmark = pytest.mark.django_db


def test_opening_a_conversation_writes_its_voice(customer):
    conversation = actions.open_conversation(
        customer=customer,
        subject="Broken",
        body="  The lamp arrived cracked.  ",
        kind=Kind.COMPLAINT,
    )
    voice = Voice.objects.get()
    message = conversation.messages.get()
    assert (voice.source, voice.message, voice.conversation, voice.customer) == (
        VoiceSource.MESSAGE,
        message,
        conversation,
        customer,
    )
    assert (voice.text, voice.channel, voice.created_at) == (
        "The lamp arrived cracked.",
        Channel.PORTAL,
        message.created_at,
    )
    assert voice.scored_at is None


def test_replies_and_notes_write_no_voice_but_the_customers_answer_does(
    conversation, agent, customer
):
    actions.add_reply(
        conversation=conversation, author=agent, body="Sorry! A new one is on its way."
    )
    actions.add_note(conversation=conversation, author=agent, body="Courier at fault again.")
    answer = actions.add_customer_message(
        conversation=conversation,
        customer=customer,
        body="Thanks, it arrived.",
        channel=Channel.API,
    )
    voices = Voice.objects.order_by("id")
    assert [v.message_id for v in voices] == [conversation.messages.first().pk, answer.pk]
    assert voices.last().channel == Channel.API


def test_a_long_message_is_kept_whole_and_its_voice_trimmed(customer):
    body = "word " * 5000
    conversation = actions.open_conversation(customer=customer, subject="Long", body=body)
    assert len(conversation.messages.get().body_text) == len(body.strip())
    assert len(Voice.objects.get().text) == intake.MAX_TEXT


def test_the_api_door_writes_a_voice(client, agent):
    response = Api(client).post(
        "/conversations",
        agent,
        {"customer_email": "dana@example.com", "body": "Where is my refund?", "kind": "question"},
    )
    assert response.status_code == 201
    voice = Voice.objects.get()
    assert (voice.conversation_id, voice.channel, voice.text) == (
        response.json()["id"],
        Channel.API,
        "Where is my refund?",
    )


def test_an_email_answer_is_heard_without_its_quoted_history(db, billing):
    from everydesk.mail.models import Mailbox

    Mailbox.objects.create(name="Support", address="support@acme.test", team=billing)
    body = "It still has not arrived.\n\nOn Mon, Support wrote:\n> We shipped it.\n> Regards"
    inbound.receive(email_bytes(body=body), source="pipe")
    voice = Voice.objects.get()
    assert (voice.channel, voice.text) == (Channel.EMAIL, "It still has not arrived.")


def test_other_sources_use_the_same_door(customer):
    voice = intake.record_voice(source=VoiceSource.REVIEW, text=" Great shop ", customer=customer)
    assert voice is not None
    assert Voice.objects.get().text == "Great shop"
    assert voice.conversation is None
    assert intake.record_voice(source=VoiceSource.SURVEY, text="   ", customer=customer) is None


def test_an_unknown_source_is_refused(customer):
    with pytest.raises(ValueError, match="Unknown voice source"):
        intake.record_voice(source="tweet", text="hi", customer=customer)
    assert not Voice.objects.exists()


def test_a_message_refused_by_the_action_leaves_no_voice(conversation, customer, agent):
    actions.change_status(conversation=conversation, actor=agent, status="closed")
    before = Voice.objects.count()
    with pytest.raises(actions.ActionError):
        actions.add_customer_message(conversation=conversation, customer=customer, body="Hello?")
    assert Voice.objects.count() == before


def test_merging_moves_the_voices_with_their_messages(customer, agent):
    first = actions.open_conversation(customer=customer, subject="A", body="The lamp is broken.")
    second = actions.open_conversation(customer=customer, subject="B", body="The lamp, again.")
    actions.merge(source=second, target=first, actor=agent)
    assert set(Voice.objects.values_list("conversation_id", flat=True)) == {first.pk}


def test_a_burst_queues_the_job_once_per_interval():
    throttle = intake._Throttle()
    assert throttle.due(100.0, 1.0) == 0.0  # first: at once
    assert throttle.due(100.2, 1.0) == pytest.approx(0.8)  # within: one more at the end
    assert throttle.due(100.5, 1.0) is None  # that later job will see this too
    assert throttle.due(101.1, 1.0) == pytest.approx(0.9)  # the 101.0 job may have started
    assert throttle.due(103.5, 1.0) == 0.0  # quiet again: at once


def test_a_steady_stream_queues_about_one_job_a_second():
    throttle = intake._Throttle()
    nudges = [throttle.due(1000 + i / 100, 1.0) for i in range(1000)]  # 100 a second, 10 s
    queued = [delay for delay in nudges if delay is not None]
    assert 9 <= len(queued) <= 11
