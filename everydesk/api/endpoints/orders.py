"""Orders: shops push them (agents' and admins' tokens); reads follow who may see the
customer."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from everydesk.api.auth import caller, require_agent_or_admin
from everydesk.api.errors import body
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.orders import (
    OrderBatchIn,
    OrderImportOut,
    OrderIn,
    OrderListQuery,
    OrderPage,
)
from everydesk.conversations import access
from everydesk.customers.models import Order
from everydesk.customers.order_rows import Problem
from everydesk.customers.orders import Summary, import_orders
from everydesk.lib.keyset import paginate

router = Router(tags=["orders"])


@router.post("", response={200: OrderImportOut, **errors(401, 403, 422)})
def push_orders(request: HttpRequest, payload: OrderBatchIn | OrderIn) -> Status[dict]:
    """Create or update orders by number: one order, or `{"orders": [...]}` (up to 1,000).

    Sending the same orders again changes nothing. If any order is bad, none is stored
    and every problem is listed (422), unless `skip_bad` is set.
    """
    # Like adding customers (an order's new address creates one): agents and admins.
    require_agent_or_admin(caller(request), "push orders")
    batch = isinstance(payload, OrderBatchIn)
    orders = payload.orders if isinstance(payload, OrderBatchIn) else [payload]
    skip_bad = payload.skip_bad if isinstance(payload, OrderBatchIn) else False
    rows = [(index, order.model_dump()) for index, order in enumerate(orders)]
    summary = import_orders(rows, skip_bad=skip_bad)
    problems = [_detail(p, batch) for p in summary.problems]
    if not summary.imported:
        message = "Nothing was stored: some orders are not valid."
        return Status(422, body(422, message, code="bad_orders", details=problems))
    left_out = {problem.row for problem in summary.problems}
    stored = [o.number for index, o in enumerate(orders) if index not in left_out]
    return Status(200, _result(summary, stored))


def _detail(problem: Problem, batch: bool) -> dict:
    field = f"orders.{problem.row}.{problem.column}" if batch else problem.column
    return {"field": field, "message": problem.reason}


def _result(summary: Summary, numbers: list[str]) -> dict:
    stored = Order.objects.filter(number__in=numbers).order_by("id")
    return {
        **summary.counts(),
        "problems": [
            {"index": p.row, "field": p.column, "message": p.reason} for p in summary.problems
        ],
        "orders": list(stored),
    }


@router.get("", response={200: OrderPage, **errors(400, 401, 404, 422)})
def list_orders(request: HttpRequest, query: Query[OrderListQuery]) -> dict:
    """Orders of customers you may see, newest first; `customer` for one customer's."""
    user = caller(request)
    orders = access.visible_orders(user)
    if query.customer is not None:
        orders = orders.filter(customer=access.get_customer_for(user, query.customer))
    page = paginate(
        orders, fields=("placed_at", "id"), after=query.after, limit=query.limit, descending=True
    )
    return {"items": page.items, "next": page.next_cursor}
