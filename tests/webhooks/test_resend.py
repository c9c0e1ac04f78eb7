import pytest

from everydesk.lib.errors import ActionError
from everydesk.webhooks import actions
from everydesk.webhooks.models import Delivery, DeliveryStatus


@pytest.fixture
def failed(endpoint) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint,
        event="action.taken",
        payload={"n": 1},
        idempotency_key="gave-up",
        status=DeliveryStatus.FAILED,
        attempts=4,
    )


def test_admin_resends_a_failed_delivery_with_its_key(
    failed, receiver, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend(delivery=failed, by=admin)

    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED
    assert failed.resent_by == admin
    assert [r.headers["Idempotency-Key"] for r in receiver.received] == ["gave-up"]


def test_resend_through_the_desk_page(
    failed, receiver, admin, client, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/webhooks/deliveries/{failed.pk}/resend/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED


def test_agents_cannot_resend(failed, receiver, agent, client):
    client.force_login(agent)

    response = client.post(f"/desk/webhooks/deliveries/{failed.pk}/resend/")

    assert response.status_code == 404
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED
    assert receiver.received == []


def test_a_disabled_endpoint_is_not_resent_to(failed, endpoint, admin):
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])

    with pytest.raises(ActionError, match="disabled"):
        actions.resend(delivery=failed, by=admin)
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED
