"""Teams conversations are routed to."""

from ninja import Schema


class TeamOut(Schema):
    id: int
    name: str


class TeamPage(Schema):
    items: list[TeamOut]
    next: str | None
