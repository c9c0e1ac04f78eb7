"""An admin adds a webhook endpoint, reads its secret, and resends a failed delivery."""

from everydesk.webhooks.models import Delivery, DeliveryStatus, Endpoint
from tests.webhooks.receiver import Receiver


def test_admin_sets_up_an_endpoint_and_resends_a_failed_delivery(
    page, sign_in_staff, admin, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    sign_in_staff(page, admin)
    page.click("nav >> text=Webhooks")
    page.fill("#id_name", "ERP")
    page.fill("#id_url", "ftp://erp.example.com/")
    page.click("text=Add endpoint")
    assert page.locator("ul.errors", has_text="Only http").is_visible()

    with Receiver() as receiver:
        page.fill("#id_url", receiver.url)
        page.fill("#id_events", "action.taken")
        page.click("text=Add endpoint")
        endpoint = Endpoint.objects.get()
        page.click("details summary")
        assert page.locator("code.secret").inner_text() == endpoint.secret

        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event="action.taken",
            payload={},
            idempotency_key="k1",
            status=DeliveryStatus.FAILED,
        )
        page.reload()
        page.click("td a >> nth=0")
        page.click("text=Resend")
        assert page.locator("text=Sent again.").is_visible()
        delivery.refresh_from_db()
        # The send runs after the request's commit, in the server thread (jobs inline).
        assert delivery.status == DeliveryStatus.DELIVERED
        assert [r.headers["Idempotency-Key"] for r in receiver.received] == ["k1"]
        page.reload()
        assert page.locator("table.attempts td", has_text="Delivered").is_visible()
