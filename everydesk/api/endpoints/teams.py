"""Teams, so integrations can route conversations by id."""

from django.http import HttpRequest
from ninja import Router

from everydesk.accounts.models import Team
from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.teams import TeamPage

router = Router(tags=["teams"])


@router.get("", response={200: TeamPage, **errors(401, 403)})
def list_teams(request: HttpRequest) -> dict:
    """Every team (staff only)."""
    require_staff(caller(request), "list teams")
    # A company has tens of teams, not thousands: one page holds them all.
    return {"items": list(Team.objects.order_by("name")), "next": None}
