"""Follow-ups after a complaint, as the API shows them, their list filters and the outcome."""

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from everydesk.api.schemas.customers import CustomerSummary
from everydesk.api.schemas.pagination import PageQuery
from everydesk.api.schemas.users import StaffSummary
from everydesk.recovery.models import Contact, FollowUp, FollowUpStatus, Outcome


class FollowUpOut(Schema):
    id: int
    conversation_id: int
    customer: CustomerSummary
    contact: Contact
    instructions: str
    owner: StaffSummary | None
    due_at: dt.datetime
    is_due: bool = Field(description="Pending and its time has come.")
    status: FollowUpStatus
    outcome: Outcome | None
    note: str
    done_at: dt.datetime | None
    new_conversation_id: int | None = Field(
        description="Set when an unhappy customer's closed complaint continued in a new one."
    )

    @staticmethod
    def resolve_outcome(follow_up: FollowUp) -> str | None:
        return follow_up.outcome or None


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next: str | None


class FollowUpListQuery(PageQuery):
    due: bool | None = Field(
        None, description="true: only pending ones whose time has come; false: only later ones."
    )
    owner: str | None = Field(
        None,
        pattern=r"^(me|\d+)$",
        description="`me` or a user id; omitted: every follow-up you may see.",
    )
    status: FollowUpStatus = Field(FollowUpStatus.PENDING, description="Pending by default.")


class OutcomeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: str = Field("", max_length=5000, description="Required when the customer is unhappy.")
