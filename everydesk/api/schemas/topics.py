"""Topics: groups of customer voices by meaning, with their last two weeks' figures."""

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from everydesk.api.schemas.pagination import PageQuery
from everydesk.api.schemas.patch import not_null


class TopicOut(Schema):
    id: int
    name: str
    keywords: list[str]
    voice_count: int
    named_by_person: bool
    is_pinned: bool
    merged_into_id: int | None = Field(description="Set when merged; its voices are there now.")
    created_at: dt.datetime
    updated_at: dt.datetime
    last_7_days: int = Field(description="Voices in the last 7 days.")
    previous_7_days: int = Field(description="Voices in the 7 days before those.")
    sentiment_7_days: float | None = Field(
        description="Mean sentiment (-1..1) of the last 7 days' voices; null without any."
    )


class TopicPage(Schema):
    items: list[TopicOut]
    next: str | None


class TopicListQuery(PageQuery):
    merged: bool = Field(False, description="Include topics merged into others.")


class TopicPatch(Schema):
    """Only the fields sent are changed; each change is audited."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=120, description="A person's name, kept from now on.")
    is_pinned: bool | None = Field(
        None, description="Pinned topics are never merged or split by regrouping."
    )

    @field_validator("name", "is_pinned")
    @classmethod
    def _not_null(cls, value: object) -> object:
        return not_null(value)
