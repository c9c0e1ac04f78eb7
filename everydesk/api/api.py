"""The REST API, version 1: one NinjaAPI, one auth mechanism, one error shape.

The OpenAPI document is served at /api/v1/openapi.json and the interactive
docs at /api/v1/docs (both public: they describe, they do not reveal data).
"""

from ninja import NinjaAPI
from ninja.operation import Operation

from everydesk.api import errors
from everydesk.api.auth import BearerToken
from everydesk.api.endpoints import (
    actions,
    conversations,
    customers,
    figures,
    follow_ups,
    me,
    messages,
    orders,
    praise,
    reviews,
    search,
    shift,
    shifts,
    similar,
    surveys,
    teams,
    tiers,
    topics,
    webhooks,
)

DESCRIPTION = (
    "everydesk's REST API. Authenticate with `Authorization: Bearer <token>`; every "
    'error is `{"error": {"status", "code", "message", "details"}}`; lists are '
    '`{"items": [...], "next": cursor}`, fetched page by page with `?after=<next>`.'
)


class EverydeskAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Plain function names ("list_conversations"), which client generators turn
        # into readable method names; they are unique across the endpoint modules.
        return operation.view_func.__name__


def build() -> NinjaAPI:
    api = EverydeskAPI(
        title="everydesk",
        version="1",
        urls_namespace="api-v1",
        description=DESCRIPTION,
        auth=BearerToken(),
    )
    errors.install(api)
    api.add_router("/me", me.router)
    api.add_router("/customers", customers.router)
    api.add_router("/conversations", conversations.router)
    api.add_router("/conversations", messages.router)
    api.add_router("/conversations", similar.router)
    api.add_router("/search", search.router)
    api.add_router("/shifts", shifts.router)
    api.add_router("/surveys", surveys.router)
    api.add_router("/orders", orders.router)
    api.add_router("/teams", teams.router)
    api.add_router("/tiers", tiers.router)
    api.add_router("/topics", topics.router)
    api.add_router("/praise", praise.router)
    api.add_router("/webhooks", webhooks.router)
    api.add_router("/actions", actions.router)
    api.add_router("/shift", shift.router)
    api.add_router("", reviews.router)
    api.add_router("/follow-ups", follow_ups.router)
    api.add_router("/figures", figures.router)
    return api


api = build()
