"""The rotation's pages: "my shifts" (upcoming shifts, swaps, the calendar link)
for every staff member, and the coverage figures for managers and admins."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from everydesk.accounts.models import User
from everydesk.desk.decorators import DeskRequest, insights_required, staff_required
from everydesk.frontline import calendar_feed, coverage, swaps
from everydesk.frontline.availability import zone_for
from everydesk.frontline.models import CalendarFeed, RotationBuild, Shift, ShiftSwap, SwapStatus
from everydesk.frontline.rules import Quarter
from everydesk.lib.errors import ActionError

UPCOMING = 50
OFFERS = 50
COVERAGE_PEOPLE = 500


@require_GET
@staff_required
def my_shifts(request: DeskRequest) -> HttpResponse:
    return _my_shifts(request)


def _my_shifts(request: DeskRequest, *, new_link: str = "") -> HttpResponse:
    user, now = request.user, timezone.now()
    open_swaps = Prefetch(
        "swaps", ShiftSwap.objects.filter(status=SwapStatus.OPEN).select_related("asked")
    )
    upcoming = list(
        Shift.objects.filter(user=user, ends_at__gt=now)
        .prefetch_related(open_swaps)
        .order_by("starts_at")[:UPCOMING]
    )
    offers = list(
        swaps.visible_swaps(user)
        .exclude(offered_by=user)
        .filter(shift__starts_at__gt=now)
        .select_related("shift__rule", "offered_by")
        .order_by("shift__starts_at")[:OFFERS]
    )
    context = {
        "zone": zone_for(user),
        "upcoming": [(shift, next(iter(shift.swaps.all()), None)) for shift in upcoming],
        "asked": [s for s in offers if s.asked_id == user.pk],
        "offers": [s for s in swaps.takeable(user, offers) if s.asked_id is None],
        "feed": CalendarFeed.objects.filter(user=user).first(),
        "new_link": new_link,
        "now": now,
    }
    return render(request, "frontline/my_shifts.html", context)


@require_POST
@staff_required
def offer(request: DeskRequest, shift_id: int) -> HttpResponse:
    shift = swaps.get_own_shift(request.user, shift_id)
    email = request.POST.get("email", "").strip()
    asked = None
    if email:
        asked = User.objects.filter(email__iexact=email, is_active=True).first()
        if asked is None:
            messages.error(request, f"No colleague signs in as {email}.")
            return redirect("shifts:mine")
    return _act(
        request,
        lambda: swaps.offer_shift(user=request.user, shift=shift, asked=asked),
        f"Asked {asked.display_name}." if asked else "Offered to your colleagues.",
    )


@require_POST
@staff_required
def accept(request: DeskRequest, swap_id: int) -> HttpResponse:
    swap = swaps.get_swap_for(request.user, swap_id)
    return _act(
        request, lambda: swaps.accept_swap(user=request.user, swap=swap), "The shift is yours."
    )


@require_POST
@staff_required
def decline(request: DeskRequest, swap_id: int) -> HttpResponse:
    swap = swaps.get_swap_for(request.user, swap_id)
    return _act(request, lambda: swaps.decline_swap(user=request.user, swap=swap), "Declined.")


@require_POST
@staff_required
def withdraw(request: DeskRequest, swap_id: int) -> HttpResponse:
    swap = swaps.get_swap_for(request.user, swap_id)
    return _act(request, lambda: swaps.withdraw_swap(user=request.user, swap=swap), "Withdrawn.")


def _act(request: DeskRequest, change: Callable[[], object], done: str) -> HttpResponse:
    try:
        change()
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("shifts:mine")


@require_POST
@staff_required
def make_feed(request: DeskRequest) -> HttpResponse:
    """A new calendar link, shown this once; the previous link stops working."""
    return _my_shifts(request, new_link=calendar_feed.issue(user=request.user))


@require_POST
@staff_required
def revoke_feed(request: DeskRequest) -> HttpResponse:
    calendar_feed.revoke(user=request.user)
    messages.success(request, "Your calendar link no longer works.")
    return redirect("shifts:mine")


@require_GET
@insights_required
def coverage_page(request: DeskRequest) -> HttpResponse:
    try:
        quarter = Quarter.parse(request.GET["quarter"]) if request.GET.get("quarter") else None
    except ActionError as refused:
        raise Http404(refused.message) from None
    quarter = quarter or Quarter.of(timezone.localdate())
    department = request.GET.get("department", "")
    figures = coverage.for_quarter(quarter, department=department)
    context = {
        "figures": figures,
        "people": figures.people[:COVERAGE_PEOPLE],
        "more_people": max(0, len(figures.people) - COVERAGE_PEOPLE),
        "not_served": figures.not_served[:COVERAGE_PEOPLE],
        "department": department,
        "previous": _quarter_before(quarter),
        "next": quarter.next,
        "builds": RotationBuild.objects.filter(quarter=str(quarter)).select_related("rule")[:10],
        "zone": settings.TIME_ZONE,
    }
    return render(request, "frontline/coverage.html", context)


def _quarter_before(quarter: Quarter) -> Quarter:
    return Quarter(quarter.year - (quarter.number == 1), (quarter.number - 2) % 4 + 1)
