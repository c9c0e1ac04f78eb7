"""Retries against a real receiver: what is retried, when, and when it gives up."""

import socket
from datetime import timedelta

from django.utils import timezone

from everydesk.webhooks import sending
from everydesk.webhooks.actions import queue_event
from everydesk.webhooks.models import AttemptOutcome, Delivery, DeliveryStatus, Endpoint
from tests.webhooks.conftest import make_due


def _queue(capture) -> Delivery:
    with capture(execute=True):
        queue_event(event="action.taken", payload={"n": 1}, idempotency_key="retry-1")
    return Delivery.objects.get()


def _retry(delivery: Delivery) -> Delivery:
    make_due(delivery)
    sending.send_due()
    delivery.refresh_from_db()
    return delivery


def test_a_500_is_retried_after_a_backoff_then_delivered(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answer(500, 200)
    before = timezone.now()
    delivery = _queue(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.PENDING
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 15 - 1 <= wait <= 30 + 1  # half to all of the 30 s base, jittered

    sending.send_due()  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    delivery = _retry(delivery)
    assert delivery.status == DeliveryStatus.DELIVERED
    attempts = list(delivery.attempt_log.order_by("number"))
    assert [(a.status_code, a.outcome) for a in attempts] == [
        (500, AttemptOutcome.RETRY),
        (200, AttemptOutcome.DELIVERED),
    ]
    assert attempts[0].response_snippet == "answer 500"


def test_idempotency_key_and_delivery_id_stay_the_same_across_retries(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answer(503, 200)
    delivery = _retry(_queue(django_capture_on_commit_callbacks))

    first, second = receiver.received
    for header in ("Idempotency-Key", "X-Everydesk-Delivery"):
        assert first.headers[header] == second.headers[header]
    assert first.body == second.body
    assert (first.headers["X-Everydesk-Attempt"], second.headers["X-Everydesk-Attempt"]) == (
        "1",
        "2",
    )
    assert delivery.status == DeliveryStatus.DELIVERED


def test_gives_up_after_the_configured_number_of_attempts(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    receiver.answer(500)
    delivery = _queue(django_capture_on_commit_callbacks)
    waits = []
    for _ in range(2):
        waits.append(delivery.next_attempt_at - timezone.now())
        delivery = _retry(delivery)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert len(receiver.received) == 3
    assert delivery.attempt_log.filter(outcome=AttemptOutcome.FAILED).count() == 1
    # The second wait is drawn from a window twice as far out as the first.
    assert waits[1] > timedelta(seconds=29)
    _retry(delivery)
    assert len(receiver.received) == 3  # a failed delivery is never picked up again


def test_a_4xx_is_not_retried(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.answer(422)
    delivery = _queue(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code == 422
    assert delivery.next_attempt_at is None


def test_a_redirect_is_not_followed_and_not_retried(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answer(301)

    delivery = _queue(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.FAILED
    assert len(receiver.received) == 1


def test_a_4xx_is_retried_when_the_endpoint_asks_for_it(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint.retry_client_errors = True
    endpoint.save(update_fields=["retry_client_errors"])
    receiver.answer(404, 200)

    delivery = _retry(_queue(django_capture_on_commit_callbacks))

    assert delivery.status == DeliveryStatus.DELIVERED


def test_429_too_many_requests_is_retried(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.answer(429, 200)
    delivery = _queue(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.PENDING
    assert _retry(delivery).status == DeliveryStatus.DELIVERED


def test_a_timeout_is_logged_and_retried(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.3
    receiver.answer((200, 1.0), 200)

    delivery = _queue(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.PENDING
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None
    assert attempt.error == "Timed out"
    assert 250 <= attempt.duration_ms < 1000
    assert _retry(delivery).status == DeliveryStatus.DELIVERED


def test_a_refused_connection_is_retried(db, django_capture_on_commit_callbacks):
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Endpoint.objects.create(name="Down", url=f"http://127.0.0.1:{port}/hooks")

    delivery = _queue(django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.PENDING
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.attempt_log.get().outcome == AttemptOutcome.RETRY
