"""Pages for requests the desk cannot serve, with a message saying what to do."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, message: str, *, back: str) -> HttpResponse:
    """A 400 the agent can act on, instead of a bare error or a crash."""
    context = {"message": message, "back": back}
    return render(request, "desk/bad_request.html", context, status=400)
