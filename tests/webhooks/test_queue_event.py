import json

from everydesk.webhooks.actions import queue_event
from everydesk.webhooks.models import Delivery, DeliveryStatus, Endpoint


def test_event_is_sent_to_the_endpoint_once_the_transaction_commits(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = queue_event(
            event="action.taken", payload={"amount": "12.50"}, idempotency_key="taken-1"
        )
        assert receiver.received == []  # nothing leaves before the commit

    assert [d.endpoint_id for d in deliveries] == [endpoint.pk]
    (request,) = receiver.received
    body = json.loads(request.body)
    assert body["event"] == "action.taken"
    assert body["data"] == {"amount": "12.50"}
    assert body["delivery_id"] == deliveries[0].pk
    assert request.headers["X-Everydesk-Event"] == "action.taken"
    assert request.headers["Idempotency-Key"] == "taken-1"
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1
    assert delivery.attempt_log.get().status_code == 200


def test_same_idempotency_key_records_and_sends_nothing_new(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            queue_event(event="action.taken", payload={}, idempotency_key="taken-1")

    assert Delivery.objects.count() == 1
    assert len(receiver.received) == 1


def test_only_endpoints_listening_for_the_event_get_it(
    receiver, db, django_capture_on_commit_callbacks
):
    Endpoint.objects.create(name="Refunds", url=receiver.url, events=["refund.issued"])
    everything = Endpoint.objects.create(name="Data lake", url=receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        queue_event(event="action.taken", payload={}, idempotency_key="k")

    assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [everything.pk]
    assert len(receiver.received) == 1


def test_disabled_endpoints_are_skipped(receiver, db, django_capture_on_commit_callbacks):
    Endpoint.objects.create(name="Old ERP", url=receiver.url, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert queue_event(event="action.taken", payload={}, idempotency_key="k") == []

    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_nothing_leaves_while_the_callers_transaction_is_open(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_event(event="action.taken", payload={}, idempotency_key="k")
    # Until the commit the send waits in an on-commit callback; a rollback drops it.
    assert len(callbacks) == 1
    assert receiver.received == []
