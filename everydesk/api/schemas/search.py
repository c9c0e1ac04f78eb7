"""The search query and its filters."""

import datetime as dt

from ninja import Field

from everydesk.api.schemas.pagination import PageQuery
from everydesk.conversations.models import Kind, Status


class SearchQuery(PageQuery):
    q: str = Field(description='Words to find; "quoted phrases" and prefix* work.')
    status: Status | None = None
    kind: Kind | None = None
    tier: str | None = Field(None, description="Tier slug of the customer, e.g. `vip`.")
    team_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    created_from: dt.date | None = Field(None, description="First day, inclusive.")
    created_to: dt.date | None = Field(None, description="Last day, inclusive.")
