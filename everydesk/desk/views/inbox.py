"""The inbox: one tab per queue view, rows in priority-then-age order, refreshed by HTMX."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from everydesk.accounts.models import User
from everydesk.conversations import queues
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.desk.views.errors import bad_request
from everydesk.lib.keyset import BadCursor, paginate
from everydesk.listening import display
from everydesk.recovery.access import due_for

PAGE_SIZE = 50
FOLLOW_UPS_SHOWN = 10


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int


def _tabs(user: User) -> list[Tab]:
    return [
        Tab(view.key, view.label, queues.capped_count(queues.queue(user, view.key)))
        for view in queues.views_for(user)
    ]


def _default_view(tabs: list[Tab]) -> str:
    """Start on what is assigned to me; with nothing there, on everything open."""
    mine = next((tab for tab in tabs if tab.key == "mine"), None)
    return "mine" if mine and mine.count else "open"


def _page_url(key: str, after: str | None) -> str:
    params = {"view": key, "after": after} if after else {"view": key}
    return f"{reverse('desk:inbox')}?{urlencode(params)}"


@require_GET
@staff_required
def inbox(request: DeskRequest) -> HttpResponse:
    user = request.user
    tabs = _tabs(user)
    key = request.GET.get("view") or _default_view(tabs)
    if key not in {tab.key for tab in tabs}:
        raise Http404(f"There is no inbox view called {key!r}.")
    rows = (
        queues.queue(user, key)
        .select_related("customer", "customer__tier", "assignee", "team", "sla")
        .prefetch_related("tags")
    )
    after = request.GET.get("after") or None
    try:
        page = paginate(rows, fields=queues.INBOX_ORDER, after=after, limit=PAGE_SIZE)
    except BadCursor:
        message = "That page link is out of date or damaged. Start again from the first page."
        return bad_request(request, message, back=_page_url(key, None))
    display.attach_moods(page.items)
    due = list(
        due_for(user).select_related("customer", "owner", "conversation")[: FOLLOW_UPS_SHOWN + 1]
    )
    context = {
        # The owner's follow-ups that have come due (recovery), above the queue.
        "follow_ups_due": due[:FOLLOW_UPS_SHOWN],
        "follow_ups_due_count": f"{FOLLOW_UPS_SHOWN}+" if len(due) > FOLLOW_UPS_SHOWN else len(due),
        "follow_ups_now": timezone.now(),
        "tabs": tabs,
        "current": key,
        "page": page,
        "after": after,
        "next_url": _page_url(key, page.next_cursor) if page.next_cursor else None,
        # The view is named so a refresh never flips it (the default can change).
        "refresh_url": _page_url(key, after),
    }
    # The 30-second refresh asks for the list only; a normal visit gets the whole page.
    partial = request.htmx and not request.htmx.boosted
    template = "desk/_inbox.html" if partial else "desk/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
