"""Keyset ("seek") pagination: each page starts after the last row of the previous one.

OFFSET makes page 10,000 read 10,000 pages; a seek on an indexed, ascending
tuple reads only the rows it returns. The cursor is an opaque, URL-safe token
that encodes the sort values of the last row.
"""

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import F, Model, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

M = TypeVar("M", bound=Model)


class BadCursor(ValueError):
    """The cursor is not one this endpoint issued."""


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, dt.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, width: int) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != width:
            raise ValueError
        return [dt.datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in raw]
    except (ValueError, TypeError, KeyError):
        raise BadCursor("The cursor is malformed; start again without it.") from None


def paginate(
    queryset: QuerySet[M],
    *,
    fields: tuple[str, ...],
    after: str | None,
    limit: int,
    descending: bool = False,
) -> Page[M]:
    """Return one page ordered by `fields` (all in one direction), and the next cursor."""
    if after:
        values = _decode(after, len(fields))
        lookup = TupleLessThan if descending else TupleGreaterThan
        row = Tuple(*(F(name) for name in fields))
        queryset = queryset.filter(lookup(row, tuple(values)))
    order = [f"-{name}" if descending else name for name in fields]
    items = list(queryset.order_by(*order)[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    cursor = _encode([getattr(items[-1], name) for name in fields]) if more else None
    return Page(items=items, next_cursor=cursor)
