"""A person's front-line shifts."""

import datetime as dt

from ninja import Schema


class ShiftOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    rule: str | None
    offered: bool  # handed on to colleagues and not taken yet


class ShiftPage(Schema):
    items: list[ShiftOut]
    next: str | None
