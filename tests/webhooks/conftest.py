"""Webhook tests post to a real HTTP server on 127.0.0.1 that each test starts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from everydesk.webhooks.models import Delivery, Endpoint
from tests.webhooks.receiver import Receiver


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    # Loopback is a private address: allowed here (embedded default), refused in production.
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_MAX_ATTEMPTS = 4
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(db, receiver) -> Endpoint:
    return Endpoint.objects.create(name="ERP", url=receiver.url)


def make_due(delivery: Delivery) -> None:
    """Let the retry's time come, as the clock would."""
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
