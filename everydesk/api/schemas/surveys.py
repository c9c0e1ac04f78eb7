"""Survey invitations and answers as the API shows them (staff only)."""

import datetime as dt

from ninja import Field, Schema

from everydesk.api.schemas.pagination import PageQuery
from everydesk.surveys.models import SurveyKind


class SurveyOut(Schema):
    id: int
    kind: SurveyKind
    customer_id: int
    conversation_id: int | None = Field(description="CSAT: the conversation rated.")
    team_id: int | None = Field(description="The conversation's team when it was asked.")
    tier_id: int | None = Field(description="The customer's tier when asked.")
    agent_id: int | None = Field(description="CSAT: the staff member who solved it.")
    sent_at: dt.datetime
    answered_at: dt.datetime | None
    score: int | None = Field(description="CSAT 1 to 5, NPS 0 to 10; null until answered.")
    comment: str
    recovery_id: int | None = Field(
        description="The conversation a low answer opened to close the loop."
    )


class SurveyPage(Schema):
    items: list[SurveyOut]
    next: str | None


class SurveyListQuery(PageQuery):
    kind: SurveyKind | None = Field(None, description="csat or nps.")
    answered: bool | None = Field(None, description="true: answered only; false: unanswered.")
