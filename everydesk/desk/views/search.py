"""Full-text search across the conversations this person may see, newest first."""

from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from everydesk.conversations import filters, search
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.desk.forms import SearchForm
from everydesk.desk.views.errors import bad_request
from everydesk.listening import display

PAGE_SIZE = 25
HINT = (
    'Type a word to search for: a name, an order number, a phrase in "quotes", '
    "or the start of a word followed by * (refund*). Filters narrow the results."
)


def _before(request: DeskRequest) -> int | None:
    """The `before` cursor (an id), or None on the first page; ValueError if malformed."""
    raw = request.GET.get("before", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(raw)
    return int(raw)


def _more_url(request: DeskRequest, before: int) -> str:
    params = request.GET.copy()
    params["before"] = str(before)
    return f"{reverse('desk:search')}?{params.urlencode()}"


@require_GET
@staff_required
def search_page(request: DeskRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "results": None, "more_url": None, "hint": HINT}
    try:
        before = _before(request)
    except ValueError:
        return bad_request(
            request,
            "That “More results” link is damaged. Search again.",
            back=reverse("desk:search"),
        )
    if not form.is_bound or not form.is_valid():
        return render(request, "desk/search.html", context)
    try:
        results, next_before = filters.search_conversations(
            request.user, form.cleaned_data["q"], form.filters(), before=before, limit=PAGE_SIZE
        )
    except search.EmptyQuery:
        return render(request, "desk/search.html", context)
    prefetch_related_objects(results, "tags")
    display.attach_moods(results)
    context["hint"] = ""
    context["results"] = results
    context["more_url"] = _more_url(request, next_before) if next_before else None
    context["continued"] = before is not None
    return render(request, "desk/search.html", context)
