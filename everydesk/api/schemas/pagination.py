"""Query parameters shared by every list: a page size and the cursor to start after."""

from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    after: str | None = Field(
        None, description="The `next` value of the previous page; omit for the first page."
    )
