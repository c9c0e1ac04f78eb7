"""The sweep picks up what a crash left and due retries; running it twice sends nothing twice."""

from datetime import timedelta

from django.utils import timezone

from everydesk.webhooks import sending, tasks
from everydesk.webhooks.models import Delivery, DeliveryStatus


def _pending(endpoint, key: str, **fields) -> Delivery:
    # As queue_event leaves it when the process dies before its on-commit send runs.
    return Delivery.objects.create(
        endpoint=endpoint,
        event="action.taken",
        payload={"key": key},
        idempotency_key=key,
        next_attempt_at=fields.pop("next_attempt_at", timezone.now()),
        **fields,
    )


def test_a_delivery_left_pending_by_a_crash_is_sent_by_the_sweep(endpoint, receiver):
    delivery = _pending(endpoint, "lost-1")

    tasks.sweep.call_local()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [r.headers["Idempotency-Key"] for r in receiver.received] == ["lost-1"]


def test_a_send_that_died_mid_post_is_retried_once_its_lease_runs_out(endpoint, receiver):
    delivery = _pending(endpoint, "lost-2")
    assert sending.claim(Delivery.objects.filter(pk=delivery.pk)) == [delivery.pk]
    # The claiming worker dies here. While its lease lasts, nobody else sends it.
    assert sending.send_due() == 0

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert sending.send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_running_the_sweep_twice_sends_each_delivery_once(endpoint, receiver):
    for n in range(3):
        _pending(endpoint, f"k{n}")

    sending.send_due()
    sending.send_due()

    assert sorted(r.headers["Idempotency-Key"] for r in receiver.received) == ["k0", "k1", "k2"]
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 3


def test_a_claimed_delivery_cannot_be_claimed_again(endpoint):
    delivery = _pending(endpoint, "once")
    rows = Delivery.objects.filter(pk=delivery.pk)

    assert sending.claim(rows) == [delivery.pk]
    assert sending.claim(rows) == []


def test_deliveries_not_yet_due_wait(endpoint, receiver):
    _pending(endpoint, "later", next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert sending.send_due() == 0
    assert receiver.received == []


def test_a_disabled_endpoints_deliveries_wait_until_it_is_enabled(endpoint, receiver):
    delivery = _pending(endpoint, "paused")
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])

    assert sending.send_due() == 0
    assert receiver.received == []

    endpoint.is_active = True
    endpoint.save(update_fields=["is_active"])
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_the_sweep_works_through_more_than_one_batch(endpoint, receiver):
    for n in range(sending.SWEEP_BATCH + 5):
        _pending(endpoint, f"many-{n}")

    assert sending.send_due() == sending.SWEEP_BATCH + 5
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()


def test_a_pending_delivery_without_a_time_is_due_at_once(endpoint, receiver):
    delivery = _pending(endpoint, "no-time", next_attempt_at=None)

    assert sending.send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
