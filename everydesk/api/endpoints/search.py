"""Full-text search over the conversations the caller may see, newest first.

Staff only: the search document includes internal notes, so a customer
searching their own conversations could find words only staff wrote.
Customers list their conversations at /conversations instead.
"""

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Query, Router

from everydesk.api import lookups
from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.conversations import ConversationPage
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.search import SearchQuery
from everydesk.conversations.filters import Filters, search_conversations
from everydesk.lib.keyset import BadCursor

router = Router(tags=["search"])


def _before(cursor: str | None) -> int | None:
    # Search pages seek by conversation id; the cursor is that id, kept opaque to clients.
    if cursor is None:
        return None
    if not cursor.isdigit():
        raise BadCursor("The cursor is malformed; start again without it.")
    return int(cursor)


@router.get("", response={200: ConversationPage, **errors(400, 401, 403, 422)})
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict:
    """Full-text search over conversations you may see, newest first (staff only)."""
    user = caller(request)
    require_staff(user, "search")
    tier = lookups.tier(query.tier)
    filters = Filters(
        status=query.status,
        kind=query.kind,
        tier_id=tier.pk if tier else None,
        team_id=query.team_id,
        assignee_id=query.assignee_id,
        unassigned=query.unassigned,
        created_from=query.created_from,
        created_to=query.created_to,
    )
    found, last = search_conversations(
        user, query.q, filters, before=_before(query.after), limit=query.limit
    )
    prefetch_related_objects(found, "tags")
    return {"items": found, "next": str(last) if last is not None else None}
