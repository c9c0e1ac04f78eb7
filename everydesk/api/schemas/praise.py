"""Praise as the wall shows it: the quote, a first name at most, and who it is about."""

import datetime as dt

from ninja import Field, Schema

from everydesk.api.schemas.pagination import PageQuery
from everydesk.api.schemas.users import StaffSummary
from everydesk.praise.models import MatchedBy


class PraiseOut(Schema):
    id: int
    employee: StaffSummary
    matched_by: MatchedBy = Field(description="full_name, first_name, assignee or replier.")
    quote: str = Field(description="The customer's words, contact details replaced.")
    from_name: str = Field(description="The customer's first name, or empty.")
    conversation_id: int | None
    created_at: dt.datetime


class PraisePage(Schema):
    items: list[PraiseOut]
    next: str | None


class PraiseListQuery(PageQuery):
    person: int | None = Field(None, description="Only praise about this member of staff.")
    department: str | None = Field(None, max_length=100, description="Only this department.")
    mine: bool = Field(False, description="Only praise about the caller (hidden items too).")
