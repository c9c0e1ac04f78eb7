"""Surveys: every invitation sent and its answer, newest first (staff only)."""

from django.http import HttpRequest
from ninja import Query, Router

from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.surveys import SurveyListQuery, SurveyPage
from everydesk.lib.keyset import paginate
from everydesk.surveys.access import visible_surveys

router = Router(tags=["surveys"])

NEWEST_SENT = ("sent_at", "id")


@router.get("", response={200: SurveyPage, **errors(400, 401, 403, 422)})
def list_surveys(request: HttpRequest, query: Query[SurveyListQuery]) -> dict:
    """Surveys you may see (employees: the CSAT of conversations they see)."""
    user = caller(request)
    require_staff(user, "list surveys")
    surveys = visible_surveys(user)
    if query.kind:
        surveys = surveys.filter(kind=query.kind)
    if query.answered is not None:
        surveys = surveys.filter(answered_at__isnull=not query.answered)
    page = paginate(
        surveys, fields=NEWEST_SENT, after=query.after, limit=query.limit, descending=True
    )
    return {"items": page.items, "next": page.next_cursor}
