import json
import time
from datetime import timedelta

from django.utils import timezone

from everydesk.webhooks import actions, signing
from everydesk.webhooks.actions import queue_event


def _send(endpoint, receiver, capture):
    with capture(execute=True):
        queue_event(event="action.taken", payload={"n": 1}, idempotency_key="sig-1")
    return receiver.received[-1]


def test_signature_verifies_with_the_endpoint_secret(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    request = _send(endpoint, receiver, django_capture_on_commit_callbacks)

    assert signing.verify(
        secret=endpoint.secret,
        body=request.body,
        timestamp=request.headers["X-Everydesk-Timestamp"],
        signature=request.headers["X-Everydesk-Signature"],
    )
    assert abs(int(request.headers["X-Everydesk-Timestamp"]) - time.time()) < 60


def test_signature_fails_for_another_secret_or_a_changed_body(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    request = _send(endpoint, receiver, django_capture_on_commit_callbacks)
    stamp = request.headers["X-Everydesk-Timestamp"]
    header = request.headers["X-Everydesk-Signature"]
    tampered = json.dumps({**json.loads(request.body), "data": {"n": 1000}}).encode()

    assert not signing.verify(
        secret="whsec_guess", body=request.body, timestamp=stamp, signature=header
    )
    assert not signing.verify(
        secret=endpoint.secret, body=tampered, timestamp=stamp, signature=header
    )


def test_old_timestamps_are_refused_so_a_captured_request_cannot_be_replayed(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    request = _send(endpoint, receiver, django_capture_on_commit_callbacks)
    later = int(request.headers["X-Everydesk-Timestamp"]) + signing.DEFAULT_TOLERANCE_SECONDS + 1

    assert not signing.verify(
        secret=endpoint.secret,
        body=request.body,
        timestamp=request.headers["X-Everydesk-Timestamp"],
        signature=request.headers["X-Everydesk-Signature"],
        now=later,
    )


def test_after_rotation_both_secrets_verify_during_the_grace_period(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    old = endpoint.secret
    actions.rotate_secret(endpoint=endpoint)
    endpoint.refresh_from_db()
    assert endpoint.secret != old

    request = _send(endpoint, receiver, django_capture_on_commit_callbacks)
    for secret in (old, endpoint.secret):
        assert signing.verify(
            secret=secret,
            body=request.body,
            timestamp=request.headers["X-Everydesk-Timestamp"],
            signature=request.headers["X-Everydesk-Signature"],
        )


def test_after_the_grace_period_only_the_new_secret_signs(endpoint):
    old = endpoint.secret
    actions.rotate_secret(endpoint=endpoint)
    endpoint.previous_secret_until = timezone.now() - timedelta(seconds=1)

    assert endpoint.signing_secrets() == [endpoint.secret]
    assert old not in endpoint.signing_secrets()


def test_each_endpoint_gets_its_own_generated_secret(receiver, db):
    first = actions.create_endpoint(name="A", url=receiver.url)
    second = actions.create_endpoint(name="B", url=receiver.url)

    assert first.secret != second.secret
    assert len(first.secret) > 40
