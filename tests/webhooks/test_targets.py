"""Private and loopback targets are refused unless EVERYDESK_WEBHOOKS_ALLOW_PRIVATE is on."""

import pytest

from everydesk.lib.errors import ActionError
from everydesk.webhooks import actions, sending
from everydesk.webhooks.models import Delivery, DeliveryStatus, Endpoint


def _send_to(url: str) -> Delivery:
    endpoint = Endpoint.objects.create(name="Somewhere", url=url)
    delivery = Delivery.objects.create(
        endpoint=endpoint, event="e", payload={}, idempotency_key="k", next_attempt_at=None
    )
    sending.send([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def test_loopback_is_refused_when_private_targets_are_not_allowed(receiver, settings, db):
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    delivery = _send_to(receiver.url)

    assert receiver.received == []
    assert delivery.status == DeliveryStatus.FAILED  # retrying would not change the answer
    assert "private or local address" in delivery.last_error


def test_localhost_by_name_is_refused_too(receiver, settings, db):
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    delivery = _send_to(receiver.url.replace("127.0.0.1", "localhost"))

    assert receiver.received == []
    assert "private or local address" in delivery.last_error


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://erp.example.com/hooks", "Only http"),
        ("https://user:pw@erp.example.com/hooks", "credentials"),
    ],
)
def test_urls_we_will_never_post_to_are_refused_when_added(db, url, says):
    with pytest.raises(ActionError, match=says):
        actions.create_endpoint(name="Bad", url=url)
    assert not Endpoint.objects.exists()
