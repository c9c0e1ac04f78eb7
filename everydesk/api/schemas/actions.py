"""Playbook actions: the ledger as the API lists it, taking one, and reporting its outcome."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from everydesk.api.schemas.pagination import PageQuery
from everydesk.api.schemas.users import StaffSummary
from everydesk.playbook.models import ActionStatus, Outcome, Period, TakenAction


class ActionOut(Schema):
    id: int
    type: str = Field(description="The action type's slug, e.g. refund.")
    amount: Decimal | None = Field(description="None for types without an amount.")
    currency: str
    values: dict[str, Any]
    status: ActionStatus
    conversation_id: int
    customer_id: int
    actor: StaffSummary
    team_id: int | None
    decided_by: StaffSummary | None
    decision_reason: str
    outcome: Outcome | None
    outcome_reference: str
    created_at: dt.datetime

    @staticmethod
    def resolve_type(action: TakenAction) -> str:
        return action.action_type.slug

    @staticmethod
    def resolve_amount(action: TakenAction) -> Decimal | None:
        return action.amount if action.action_type.has_amount else None

    @staticmethod
    def resolve_outcome(action: TakenAction) -> str | None:
        return action.outcome or None


class ActionPage(Schema):
    items: list[ActionOut]
    next: str | None


class ActionListQuery(PageQuery):
    actor: int | None = Field(None, description="A person's id (managers and admins only).")
    team: int | None = Field(None, description="A team's id (managers and admins only).")
    period: Period | None = Field(None, description="Only the current day, week, month or quarter.")
    start: dt.date | None = Field(None, description="With period: the period holding this date.")
    status: ActionStatus | None = None


class ActionIn(Schema):
    conversation_id: int
    type: str = Field(description="The action type's slug.")
    amount: Decimal | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    message: str = Field("", description="Sent to the customer as a reply once it is done.")


class OutcomeIn(Schema):
    status: Outcome
    reference: str = Field("", max_length=200, description="The other system's own reference.")
    message: str = ""
