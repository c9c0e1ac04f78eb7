"""Each person's shifts as an iCalendar feed at a secret address.

Calendar apps cannot sign in, so the address itself is the credential: 256 bits
from `secrets`, of which only the SHA-256 digest is stored (like API tokens).
The feed holds the owner's shifts and nobody else's; a shift that is swapped
away or deleted is simply absent next time the app polls, and every event keeps
the UID of its shift, so apps replace events instead of doubling them.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from everydesk.accounts.models import User, hash_token
from everydesk.frontline.availability import zone_for
from everydesk.frontline.models import CalendarFeed, Shift

# Calendars keep what they already fetched; a quarter back is plenty to re-send.
HISTORY = timedelta(days=92)


def issue(*, user: User) -> str:
    """A new secret address for the person; the previous one stops working."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, digest=hash_token(raw))
    return feed_url(raw)


def revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_url(raw: str) -> str:
    return settings.BASE_URL + reverse("calendar_feed", args=[raw])


def render(user: User) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//everydesk//front-line shifts//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Front-line shifts")
    # Times are UTC; this tells apps which zone the person plans in.
    calendar.add("x-wr-timezone", zone_for(user).key)
    host = urlsplit(settings.BASE_URL).hostname or "everydesk"
    stamp = timezone.now()
    since = stamp - HISTORY
    for shift in Shift.objects.filter(user=user, ends_at__gte=since).order_by("starts_at"):
        calendar.add_component(_event(shift, host, stamp))
    return calendar.to_ical()


def _event(shift: Shift, host: str, stamp: object) -> Event:
    event = Event()
    event.add("uid", f"shift-{shift.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", shift.starts_at)
    event.add("dtend", shift.ends_at)
    event.add("summary", "Front-line shift")
    event.add("description", f"Serve customers from the desk: {settings.BASE_URL}/desk/")
    event.add("url", settings.BASE_URL + "/desk/shifts/")
    return event


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the token is the key. Unknown and revoked tokens look the same."""
    found = CalendarFeed.objects.select_related("user").filter(digest=hash_token(token)).first()
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    CalendarFeed.objects.filter(pk=found.pk).update(last_read_at=timezone.now())
    response = HttpResponse(render(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
