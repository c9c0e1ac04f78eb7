"""The praise wall, for every member of staff (customers get a 404, as on the desk)."""

from django.http import HttpRequest
from ninja import Query, Router

from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.praise import PraiseListQuery, PraisePage
from everydesk.lib.keyset import paginate
from everydesk.praise.access import wall_for
from everydesk.praise.models import Praise

router = Router(tags=["praise"])


@router.get("", response={200: PraisePage, **errors(400, 401, 404, 422)})
def list_praise(request: HttpRequest, query: Query[PraiseListQuery]) -> dict:
    """Newest first. `mine=true` lists what was said about the caller, hidden items too."""
    user = caller(request)
    items = wall_for(user)
    if query.mine:
        items = Praise.objects.filter(employee=user)
    if query.person is not None:
        items = items.filter(employee_id=query.person)
    if query.department:
        items = items.filter(employee__department=query.department)
    page = paginate(
        items.select_related("employee"),
        fields=("created_at", "id"),
        after=query.after,
        limit=query.limit,
        descending=True,
    )
    return {"items": page.items, "next": page.next_cursor}
