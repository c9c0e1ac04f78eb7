"""Orders: what a shop sends (one order or a batch) and what the API shows back."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from everydesk.api.schemas.pagination import PageQuery


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(max_length=100)
    quantity: int = Field(1, ge=1)
    name: str = Field("", max_length=200)


class OrderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(description="The shop's order number: sending it again updates it.")
    email: str = Field(description="The customer's address; a profile is created if new.")
    name: str = Field("", description="The customer's name, used if their profile has none.")
    placed_at: str = Field(
        description="`2026-03-01T14:30:00+01:00` (with a time zone) or a date, `2026-03-01`."
    )
    amount: str | int | float = Field(description='Zero or more, e.g. `"129.90"`.')
    currency: str = Field("", description="ISO 4217 code; default: the installation's.")
    items: list[ItemIn] = Field(default_factory=list)


class OrderBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    orders: list[OrderIn] = Field(min_length=1, max_length=1000)
    skip_bad: bool = Field(
        False, description="Import the good orders and report the bad ones, instead of none."
    )


class OrderOut(Schema):
    number: str
    customer_id: int
    placed_at: dt.datetime
    amount: Decimal
    currency: str
    items: list[dict[str, Any]]
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderProblem(Schema):
    index: int = Field(description="Position of the order in the batch, from 0.")
    field: str
    message: str


class OrderImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    bad: int
    tier_changes: int = Field(description="Customers whose tier the rules changed.")
    problems: list[OrderProblem] = Field(description="Orders left out (with `skip_bad`).")
    orders: list[OrderOut] = Field(description="The orders sent, as now stored.")


class OrderPage(Schema):
    items: list[OrderOut]
    next: str | None


class OrderListQuery(PageQuery):
    customer: int | None = Field(None, description="Only this customer's orders (an id).")
