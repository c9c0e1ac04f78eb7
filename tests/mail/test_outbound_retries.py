"""Delivery states against real SMTP answers: sent, refused for good, retried, given up."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import EventType
from everydesk.mail import delivery as sending
from everydesk.mail import tasks
from everydesk.mail.models import Delivery, DeliveryState
from tests.mail import smtp_sink
from tests.mail.outbound import run_jobs_due_at

pytestmark = pytest.mark.django_db

UNKNOWN_USER = "550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown"
GREYLISTED = "451 4.7.1 Greylisted, please try again later"


@pytest.fixture
def sink(settings) -> Iterator[smtp_sink.SmtpSink]:
    with smtp_sink.running(settings) as server:
        yield server


@pytest.fixture
def huey():
    queue = django_settings.HUEY
    queue.flush()
    return queue


def reply(conversation, agent, capture) -> Delivery:
    with capture(execute=True):
        message = actions.add_reply(conversation=conversation, author=agent, body="On its way.")
    return Delivery.objects.get(message=message)


def near(moment: dt.datetime | None, expected: dt.datetime) -> bool:
    return moment is not None and abs(moment - expected) < dt.timedelta(seconds=30)


def test_a_reply_is_queued_until_the_job_runs_then_sent(sink, agent, conversation):
    message = actions.add_reply(conversation=conversation, author=agent, body="On its way.")
    delivery = Delivery.objects.get(message=message)
    assert (delivery.state, delivery.attempts, sink.received) == (DeliveryState.QUEUED, 0, [])

    tasks.deliver(delivery.pk)  # what the on-commit hook queues

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert near(delivery.sent_at, timezone.now())
    assert (delivery.attempts, delivery.last_error, delivery.next_attempt_at) == (1, "", None)
    assert len(sink.received) == 1


def test_a_job_that_runs_again_sends_nothing_again(
    sink, agent, conversation, django_capture_on_commit_callbacks
):
    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    tasks.deliver(delivery.pk)
    tasks.deliver(delivery.pk, 2)

    assert len(sink.received) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)


def test_a_refused_address_fails_at_once_with_the_servers_answer(
    sink, huey, agent, conversation, django_capture_on_commit_callbacks
):
    sink.answer_rcpt(UNKNOWN_USER)

    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error == UNKNOWN_USER
    assert (delivery.attempts, delivery.next_attempt_at) == (1, None)
    assert huey.scheduled_count() == 0  # no retry of a refusal
    assert sink.received == []
    event = conversation.events.get(type=EventType.DELIVERY_FAILED)
    assert event.data["error"] == UNKNOWN_USER and event.data["delivery"] == delivery.pk


def test_a_temporary_refusal_is_tried_again_later_and_then_sent(
    sink, huey, agent, conversation, django_capture_on_commit_callbacks
):
    sink.answer_rcpt(GREYLISTED)

    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.QUEUED
    assert (delivery.attempts, delivery.last_error) == (1, GREYLISTED)
    assert near(delivery.next_attempt_at, timezone.now() + dt.timedelta(minutes=1))
    assert sink.received == []
    assert run_jobs_due_at(delivery.next_attempt_at - dt.timedelta(seconds=1)) == 0

    assert run_jobs_due_at(delivery.next_attempt_at) == 1

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert (delivery.attempts, delivery.last_error) == (2, "")
    assert len(sink.received) == 1
    assert not conversation.events.filter(type=EventType.DELIVERY_FAILED).exists()


def test_a_server_that_is_down_is_retried_with_growing_pauses_then_given_up(
    settings, huey, agent, conversation, django_capture_on_commit_callbacks
):
    settings.EMAIL_SEND_ATTEMPTS = 4
    port = smtp_sink.free_port()
    smtp_sink.use_smtp(settings, port)

    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.QUEUED
    assert f"No answer from the mail server 127.0.0.1:{port}" in delivery.last_error
    assert "refused" in delivery.last_error.lower()
    assert near(delivery.next_attempt_at, timezone.now() + dt.timedelta(minutes=1))
    [job] = huey.scheduled()
    assert job.args == (delivery.pk, 2)

    # Attempts 2 and 3, each at its due time on a clock we control.
    for number, pause in [(2, 5), (3, 15)]:
        now = delivery.next_attempt_at
        assert sending.attempt(delivery.pk, number, now=now) == now + dt.timedelta(minutes=pause)
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, number)

    assert sending.attempt(delivery.pk, 4, now=delivery.next_attempt_at) is None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 4)
    assert "refused" in delivery.last_error.lower()
    assert conversation.events.filter(type=EventType.DELIVERY_FAILED).count() == 1


def test_a_server_that_never_answers_times_out_and_is_retried(
    settings, agent, conversation, django_capture_on_commit_callbacks
):
    with smtp_sink.silent_server(settings):
        settings.EMAIL_TIMEOUT = 0.5
        delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.QUEUED and delivery.attempts == 1
    assert "timed out" in delivery.last_error
    assert delivery.next_attempt_at is not None


def test_a_refused_login_is_our_configuration_and_is_retried(
    settings, agent, conversation, django_capture_on_commit_callbacks
):
    with smtp_sink.running(settings, refuse_login=True) as sink:
        delivery = reply(conversation, agent, django_capture_on_commit_callbacks)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.QUEUED
    assert delivery.last_error.startswith("Login refused: 535")
    assert sink.received == []


def test_the_pauses_grow_and_then_stay_at_four_hours():
    assert [sending.backoff(n).total_seconds() // 60 for n in range(1, 8)] == [
        1,
        5,
        15,
        60,
        240,
        240,
        240,
    ]


def test_a_lost_job_is_queued_again_by_the_sweep(sink, agent, conversation):
    # No on-commit hook ran: as if the worker died before picking up the job.
    actions.add_reply(conversation=conversation, author=agent, body="On its way.")
    delivery = Delivery.objects.get()
    assert sending.resume_stalled() == []  # it is not late yet

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=20)
    )
    tasks.resume_stalled_deliveries.call_local()

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)
    assert len(sink.received) == 1


def test_an_attempt_cut_off_after_sending_is_sent_again_at_least_once(
    sink, agent, conversation, django_capture_on_commit_callbacks
):
    delivery = reply(conversation, agent, django_capture_on_commit_callbacks)
    # The worker died after the server took it, before "sent" was saved.
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.QUEUED,
        sent_at=None,
        next_attempt_at=timezone.now() - dt.timedelta(minutes=20),
    )

    assert sending.resume_stalled() == [(delivery.pk, 2)]
    tasks.deliver(delivery.pk, 2)

    first, again = sink.received
    assert first.message["Message-ID"] == again.message["Message-ID"]  # one id, foldable
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)


def test_a_last_attempt_that_never_reported_back_is_marked_failed(settings, agent, conversation):
    settings.EMAIL_SEND_ATTEMPTS = 3
    actions.add_reply(conversation=conversation, author=agent, body="On its way.")
    Delivery.objects.update(
        attempts=3, last_error="451 busy", next_attempt_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert sending.resume_stalled() == []

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error == sending.INTERRUPTED
    assert conversation.events.filter(type=EventType.DELIVERY_FAILED).exists()


def test_a_mail_that_cannot_be_built_fails_with_the_reason(
    sink, agent, conversation, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=False) as hooks:
        message = actions.add_reply(
            conversation=conversation,
            author=agent,
            body="See attached.",
            files=[SimpleUploadedFile("a.txt", b"a")],
        )
    message.attachments.get().file.delete(save=False)  # the file vanished from storage
    for hook in hooks:
        hook()

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error.startswith("The email could not be put together:")
    assert sink.received == []
