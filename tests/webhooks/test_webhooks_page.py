import pytest

from everydesk.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint


def _delivery(endpoint, key: str, status=DeliveryStatus.DELIVERED, event="action.taken"):
    delivery = Delivery.objects.create(
        endpoint=endpoint, event=event, payload={}, idempotency_key=key, status=status
    )
    return delivery


@pytest.mark.parametrize("who", ["agent", "manager", "employee"])
def test_only_admins_see_the_webhooks_page(client, request, who, endpoint):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/desk/webhooks/").status_code == 404
    assert client.post(f"/desk/webhooks/endpoints/{endpoint.pk}/rotate/").status_code == 404


def test_customers_get_a_404(client, customer):
    client.force_login(customer.user)

    assert client.get("/desk/webhooks/").status_code == 404


def test_admin_sees_endpoints_with_their_secret_and_the_log(
    client, admin, endpoint, django_assert_max_num_queries
):
    for n in range(20):
        _delivery(endpoint, f"k{n}")
    client.force_login(admin)

    with django_assert_max_num_queries(8):
        response = client.get("/desk/webhooks/")

    assert response.status_code == 200
    page = response.content.decode()
    assert endpoint.secret in page
    assert page.count("action.taken") == 20


def test_the_log_filters_by_status_and_event(client, admin, endpoint):
    _delivery(endpoint, "ok")
    _delivery(endpoint, "bad", status=DeliveryStatus.FAILED, event="refund.issued")
    client.force_login(admin)

    page = client.get("/desk/webhooks/", {"status": "failed"}).content.decode()
    assert "refund.issued" in page and "<td>action.taken</td>" not in page

    page = client.get("/desk/webhooks/", {"event": "action.taken"}).content.decode()
    assert "<td>action.taken</td>" in page and "refund.issued" not in page


def test_a_delivery_page_lists_its_attempts(client, admin, endpoint):
    delivery = _delivery(endpoint, "k")
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=delivery.created_at,
        status_code=502,
        response_snippet="Bad gateway from upstream",
        outcome="retry",
    )
    client.force_login(admin)

    page = client.get(f"/desk/webhooks/deliveries/{delivery.pk}/").content.decode()

    assert "Bad gateway from upstream" in page
    assert "502" in page


def test_admin_adds_an_endpoint_and_gets_a_generated_secret(client, admin, db):
    client.force_login(admin)

    response = client.post(
        "/desk/webhooks/endpoints/",
        {"name": "ERP", "url": "https://erp.example.com/hooks", "events": "action.taken, refund"},
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["action.taken", "refund"]
    assert endpoint.secret.startswith("whsec_")


def test_a_bad_url_is_refused_with_a_message_and_nothing_saved(client, admin, db):
    client.force_login(admin)

    response = client.post(
        "/desk/webhooks/endpoints/", {"name": "ERP", "url": "ftp://erp.example.com/"}
    )

    assert response.status_code == 400
    assert (
        "Enter a valid URL" in response.content.decode() or "Only http" in response.content.decode()
    )
    assert not Endpoint.objects.exists()


def test_admin_rotates_a_secret(client, admin, endpoint):
    old = endpoint.secret
    client.force_login(admin)

    client.post(f"/desk/webhooks/endpoints/{endpoint.pk}/rotate/")

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.previous_secret == old
    assert endpoint.previous_secret_until is not None
