"""Webhook deliveries and their attempts: the delivery log, for admins."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from everydesk.api.schemas.pagination import PageQuery
from everydesk.webhooks.models import AttemptOutcome, DeliveryStatus


class AttemptOut(Schema):
    number: int
    started_at: dt.datetime
    duration_ms: int
    status_code: int | None
    response_snippet: str
    error: str
    outcome: AttemptOutcome


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event: str
    idempotency_key: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: dt.datetime | None
    created_at: dt.datetime


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any]
    attempt_log: list[AttemptOut]

    @staticmethod
    def resolve_attempt_log(delivery: Any) -> list[Any]:
        return list(delivery.attempt_log.order_by("started_at", "id"))


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next: str | None


class DeliveryListQuery(PageQuery):
    status: DeliveryStatus | None = None
    event: str | None = Field(None, max_length=100)
    endpoint: int | None = Field(None, description="An endpoint's id.")
