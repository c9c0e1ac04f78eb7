"""Tiers and their benefits, for the systems that act on them (shipping, billing)."""

from django.http import HttpRequest
from ninja import Router

from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.tiers import TierPage
from everydesk.customers import profile

router = Router(tags=["tiers"])


@router.get("", response={200: TierPage, **errors(401, 403)})
def list_tiers(request: HttpRequest) -> dict:
    """Every tier, best first, with its benefits, rules and SLA targets (staff only)."""
    require_staff(caller(request), "list tiers")
    # A handful of tiers: one page holds them all.
    return {"items": profile.tiers_with_benefits(), "next": None}
