"""The shift inbox and mentor reviews as the API shows them (docs/shift-inbox.md)."""

import datetime as dt

from ninja import Field, Schema

from everydesk.api.schemas.conversations import ConversationOut
from everydesk.api.schemas.users import StaffSummary
from everydesk.frontline.models import ReplyReview, ReviewStatus


class ShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class ShiftInboxOut(Schema):
    shift: ShiftOut | None = Field(description="The shift running now; null when off shift.")
    next_shift: ShiftOut | None = Field(description="The next planned shift, when off shift.")
    items: list[ConversationOut] = Field(description="Suitable conversations, best first.")
    next: str | None = Field(
        None, description="Pass as `after` for the next page; null at the end."
    )


class TakenOut(Schema):
    conversation: ConversationOut | None = Field(
        description="The conversation now assigned to you; null when nothing was waiting."
    )


class ReviewIn(Schema):
    body: str = Field(description="The draft reply the mentor should read.")


class ChangesIn(Schema):
    comment: str = Field(description="What the author should change.")


class ReviewOut(Schema):
    id: int
    conversation_id: int
    author: StaffSummary
    mentor: StaffSummary | None = Field(
        description="The author's manager; null until decided when any agent may review."
    )
    body: str
    status: ReviewStatus
    comment: str
    message_id: int | None = Field(description="The reply sent on approval.")
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_message_id(review: ReplyReview) -> int | None:
        return review.message_id


class ReviewList(Schema):
    items: list[ReviewOut]
