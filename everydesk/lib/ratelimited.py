"""The page people see when a rate limit turns them away (settings.RATELIMIT_VIEW)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MESSAGE = "You have done that a few times in a short while. Please wait a little and try again."


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        # API clients get the API's one error shape, never an HTML page.
        from everydesk.api.errors import error_response

        return error_response(429, MESSAGE)
    response = render(request, "429.html", {"message": MESSAGE}, status=429)
    # The public form lives inside other sites' iframes, and its refusal has
    # to show there too. The page is plain text with no buttons, so letting
    # it be framed offers nothing to click-jack.
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    return response
