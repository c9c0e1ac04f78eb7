"""The webhook delivery log by API: admins only; resend sends again with the same key."""

import pytest

from everydesk.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def failed(db, receiver, settings) -> Delivery:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = Endpoint.objects.create(name="ERP", url=receiver.url)
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event="action.taken",
        payload={"amount": "5.00"},
        idempotency_key="taken-9",
        status=DeliveryStatus.FAILED,
        attempts=1,
    )
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=delivery.created_at,
        status_code=500,
        outcome="failed",
    )
    return delivery


def test_admin_lists_and_reads_deliveries(api, admin, failed):
    listed = api.get("/webhooks/deliveries", admin, status="failed").json()
    detail = api.get(f"/webhooks/deliveries/{failed.pk}", admin).json()

    assert [d["id"] for d in listed["items"]] == [failed.pk]
    assert detail["payload"] == {"amount": "5.00"}
    assert [a["status_code"] for a in detail["attempt_log"]] == [500]


@pytest.mark.parametrize("who", ["agent", "manager", "employee"])
def test_other_staff_get_a_404(api, request, who, failed):
    user = request.getfixturevalue(who)

    assert api.get("/webhooks/deliveries", user).status_code == 404
    assert api.post(f"/webhooks/deliveries/{failed.pk}/resend", user).status_code == 404
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


def test_admin_resends_a_failed_delivery(
    api, admin, failed, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/webhooks/deliveries/{failed.pk}/resend", admin)

    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED
    assert [r.headers["Idempotency-Key"] for r in receiver.received] == ["taken-9"]


def test_resending_to_a_disabled_endpoint_is_refused_with_a_message(api, admin, failed):
    Endpoint.objects.update(is_active=False)

    response = api.post(f"/webhooks/deliveries/{failed.pk}/resend", admin)

    assert response.status_code == 400
    assert "disabled" in response.json()["error"]["message"]
