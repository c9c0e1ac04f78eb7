"""Search filters shared by the desk search page and the API.

Every filter is written as a condition on the conversation table itself
(subqueries, never joins), as the full-text engines require.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from everydesk.accounts.models import User
from everydesk.conversations import search
from everydesk.conversations.access import visible_conversations
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    kind: str | None = None
    tier_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    created_from: dt.date | None = None
    created_to: dt.date | None = None


def apply(queryset: QuerySet[Conversation], filters: Filters) -> QuerySet[Conversation]:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.tier_id:
        queryset = queryset.filter(
            customer_id__in=Customer.objects.filter(tier_id=filters.tier_id).values("id")
        )
    if filters.team_id:
        queryset = queryset.filter(team_id=filters.team_id)
    if filters.unassigned:
        queryset = queryset.filter(assignee_id__isnull=True)
    elif filters.assignee_id:
        queryset = queryset.filter(assignee_id=filters.assignee_id)
    if filters.created_from:
        queryset = queryset.filter(created_at__date__gte=filters.created_from)
    if filters.created_to:
        queryset = queryset.filter(created_at__date__lte=filters.created_to)
    return queryset


def search_conversations(
    user: User, query: str, filters: Filters, *, before: int | None = None, limit: int = 25
) -> tuple[list[Conversation], int | None]:
    """One page of matches the user may see, newest first, and the cursor for the next.

    Raises search.EmptyQuery when the query has no words.
    """
    candidates = apply(visible_conversations(user), filters)
    ids = search.search(candidates, query, before=before, limit=limit + 1)
    more = len(ids) > limit
    ids = ids[:limit]
    found = Conversation.objects.select_related("customer", "customer__tier", "assignee", "team")
    by_id = found.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id], (ids[-1] if more else None)
