"""The caller's own front-line shifts, for integrations such as a chat bot's reminder."""

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from everydesk.api.auth import caller, require_staff
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.shifts import ShiftPage
from everydesk.frontline.models import Shift, ShiftSwap, SwapStatus

router = Router(tags=["shifts"])
# A person serves a few shifts a quarter: one page holds every upcoming one.
LIMIT = 200


@router.get("", response={200: ShiftPage, **errors(401, 403)})
def list_my_shifts(request: HttpRequest) -> dict:
    """The caller's shifts that have not ended yet, soonest first (staff only)."""
    user = caller(request)
    require_staff(user, "have front-line shifts")
    offered = ShiftSwap.objects.filter(shift=OuterRef("pk"), status=SwapStatus.OPEN)
    shifts = (
        Shift.objects.filter(user=user, ends_at__gt=timezone.now())
        .select_related("rule")
        .annotate(offered=Exists(offered))
        .order_by("starts_at")[:LIMIT]
    )
    items = [
        {
            "id": s.pk,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "rule": s.rule.name if s.rule else None,
            "offered": s.offered,
        }
        for s in shifts
    ]
    return {"items": items, "next": None}
