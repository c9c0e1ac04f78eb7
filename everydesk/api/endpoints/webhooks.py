"""The webhook delivery log and resending, for admins; 404 for anyone else."""

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router

from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.webhooks import DeliveryDetail, DeliveryListQuery, DeliveryPage
from everydesk.lib.keyset import paginate
from everydesk.webhooks import actions
from everydesk.webhooks.access import get_delivery_for, require_webhooks
from everydesk.webhooks.models import Delivery

router = Router(tags=["webhooks"])


@router.get("/deliveries", response={200: DeliveryPage, **errors(400, 401, 404, 422)})
def list_deliveries(request: HttpRequest, query: Query[DeliveryListQuery]) -> dict:
    """Newest first, filtered by status, event or endpoint."""
    require_webhooks(caller(request))
    rows = Delivery.objects.all()
    for name in ("status", "event"):
        if getattr(query, name):
            rows = rows.filter(**{name: getattr(query, name)})
    if query.endpoint is not None:
        rows = rows.filter(endpoint_id=query.endpoint)
    page = paginate(rows, fields=("id",), after=query.after, limit=query.limit, descending=True)
    return {"items": page.items, "next": page.next_cursor}


@router.get("/deliveries/{delivery_id}", response={200: DeliveryDetail, **errors(401, 404)})
def get_delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    """One delivery with its payload and every attempt."""
    return get_delivery_for(caller(request), delivery_id)


@router.post(
    "/deliveries/{delivery_id}/resend", response={200: DeliveryDetail, **errors(400, 401, 404)}
)
def resend_delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    """Send again with a fresh round of attempts and the same idempotency key."""
    user = caller(request)
    with transaction.atomic():
        delivery = actions.resend(delivery=get_delivery_for(user, delivery_id), by=user)
    return delivery
