"""Conversations as the API shows them, the filters of the list, and the writes."""

import datetime as dt
import re
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from everydesk.accounts.models import Team
from everydesk.api.schemas.customers import CustomerSummary
from everydesk.api.schemas.pagination import PageQuery
from everydesk.api.schemas.patch import not_null
from everydesk.api.schemas.teams import TeamOut
from everydesk.api.schemas.users import StaffSummary
from everydesk.conversations.models import Channel, Conversation, Kind, Priority, Status

_VIEW = re.compile(r"mine|unassigned|open|team-\d+")


def _for_staff(context: dict[str, Any] | None) -> bool:
    request = (context or {}).get("request")
    return bool(request and getattr(request, "auth", None) and request.auth.is_staff_member)


class ConversationOut(Schema):
    """Tags, team and the listening scores are internal: a customer's token gets them empty."""

    id: int
    subject: str
    kind: Kind
    status: Status
    priority: int = Field(description="1 urgent, 2 high, 3 normal, 4 low.")
    channel: Channel
    customer: CustomerSummary
    assignee: StaffSummary | None
    team: TeamOut | None
    tags: list[str]
    merged_into: int | None = Field(description="Id of the conversation this was merged into.")
    follow_up_of: int | None = Field(
        description="Id of the closed conversation the customer answered, which this continues."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    last_customer_message_at: dt.datetime | None
    first_response_at: dt.datetime | None
    solved_at: dt.datetime | None
    sentiment: float | None = Field(
        description="Staff only: sentiment of the latest customer message, -1 to +1; null "
        "until scored."
    )
    urgency: int | None = Field(
        description="Staff only: urgency of the latest customer message, 0 to 100."
    )
    priority_score: int | None = Field(
        description="Staff only: the priority score that orders the inbox within a band "
        "(docs/sla.md)."
    )
    priority_reasons: list[str] = Field(
        description='Staff only: the parts of the score, e.g. ["VIP +20", "angry +10"].'
    )

    @staticmethod
    def resolve_priority_score(conversation: Conversation, context: dict[str, Any]) -> int | None:
        return conversation.priority_score if _for_staff(context) else None

    @staticmethod
    def resolve_priority_reasons(conversation: Conversation, context: dict[str, Any]) -> list[str]:
        if not _for_staff(context):
            return []
        return [f"{label} {points:+d}" for label, points in conversation.priority_reasons]

    @staticmethod
    def resolve_sentiment(conversation: Conversation, context: dict[str, Any]) -> float | None:
        return conversation.sentiment if _for_staff(context) else None

    @staticmethod
    def resolve_urgency(conversation: Conversation, context: dict[str, Any]) -> int | None:
        return conversation.urgency if _for_staff(context) else None

    @staticmethod
    def resolve_merged_into(conversation: Conversation) -> int | None:
        return conversation.merged_into_id

    @staticmethod
    def resolve_follow_up_of(conversation: Conversation) -> int | None:
        return conversation.follow_up_of_id

    @staticmethod
    def resolve_tags(conversation: Conversation, context: dict[str, Any]) -> list[str]:
        if not _for_staff(context):
            return []
        # A prefetch is read directly: building the related manager just to reach it
        # cost a tenth of a creation request. Sorted in Python to keep it one query.
        prefetched = getattr(conversation, "_prefetched_objects_cache", {}).get("tags")
        tags = prefetched if prefetched is not None else conversation.tags.all()
        return sorted(tag.name for tag in tags)

    @staticmethod
    def resolve_team(conversation: Conversation, context: dict[str, Any]) -> Team | None:
        return conversation.team if _for_staff(context) else None


class ConversationPage(Schema):
    items: list[ConversationOut]
    next: str | None


class ConversationListQuery(PageQuery):
    status: Status | None = None
    kind: Kind | None = None
    assignee_id: int | None = None
    unassigned: bool = Field(False, description="Only conversations nobody is assigned to.")
    team_id: int | None = None
    customer_id: int | None = None
    view: str | None = Field(
        None,
        description="An inbox view: `mine`, `unassigned`, `open` or `team-<id>`. Lists open "
        "conversations in inbox order (priority, then oldest first).",
    )

    @field_validator("view")
    @classmethod
    def _known_view(cls, value: str | None) -> str | None:
        if value is not None and not _VIEW.fullmatch(value):
            raise ValueError("Use mine, unassigned, open or team-<id>.")
        return value


class ConversationIn(Schema):
    """Staff give the customer's address; a customer's own token leaves it out."""

    model_config = ConfigDict(extra="forbid")

    customer_email: str | None = Field(None, max_length=254)
    customer_name: str = Field("", max_length=200)
    subject: str = Field("", max_length=255, description="Taken from the body when empty.")
    body: str
    html: str = Field("", description="Optional HTML version of the body; it is sanitised.")
    kind: Kind = Kind.QUESTION
    priority: int = Field(Priority.NORMAL, ge=1, le=4, description="Staff only.")
    team_id: int | None = Field(None, description="Staff only.")


class ConversationPatch(Schema):
    """Only the fields sent are changed, each through its own action and audit event."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    priority: int | None = Field(None, ge=1, le=4)
    kind: Kind | None = None
    assignee_id: int | None = Field(None, description="A staff member's id, or null.")
    team_id: int | None = Field(None, description="A team's id, or null.")
    tags: list[str] | None = Field(None, description="The full new list of tags.")

    @field_validator("status", "priority", "kind", "tags")
    @classmethod
    def _not_null(cls, value: object) -> object:
        return not_null(value)


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    into: int = Field(description="Id of the conversation that absorbs this one.")
