"""Who may see webhooks: admins only (the endpoints hold secrets; the log holds payloads)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from everydesk.accounts.models import Role, User
from everydesk.webhooks.models import Delivery, Endpoint


def sees_webhooks(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN


def require_webhooks(user: User) -> None:
    if not sees_webhooks(user):
        raise Http404("Not found.")


def get_endpoint_for(user: User, endpoint_id: int) -> Endpoint:
    require_webhooks(user)
    return get_object_or_404(Endpoint, pk=endpoint_id)


def get_delivery_for(user: User, delivery_id: int) -> Delivery:
    require_webhooks(user)
    return get_object_or_404(Delivery.objects.select_related("endpoint"), pk=delivery_id)
