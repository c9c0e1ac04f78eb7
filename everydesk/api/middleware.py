"""Middleware that serves the browser pages only, skipped for the API under /api/.

Every API call is authenticated by its bearer token and answered in JSON: it uses
no session, no CSRF cookie (ninja's views are CSRF-exempt; a browser cannot send
another site's Authorization header), no signed-in user from a cookie, no flash
messages and no htmx details, and a JSON answer has no content for a Content
Security Policy to govern. Running those layers anyway cost about a tenth of the
CPU of a small API request. Host checks and the other security headers still apply
to every request (SecurityMiddleware, CommonMiddleware and X-Frame-Options are not
wrapped), and the API's HTML docs page keeps its CSP.
"""

from collections.abc import Awaitable
from typing import Any

from csp.middleware import CSPMiddleware
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django_htmx.middleware import HtmxMiddleware

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class WebSessionMiddleware(SessionMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request) if _is_api(request) else super().__call__(request)


class WebCsrfViewMiddleware(CsrfViewMiddleware):
    # Only the cookie handling is skipped; process_view still runs for every view
    # (Django calls it from the handler) and lets the CSRF-exempt API views through.
    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request) if _is_api(request) else super().__call__(request)


class WebAuthenticationMiddleware(AuthenticationMiddleware):
    # The API sets request.user itself, from the token (api/auth.py).
    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request) if _is_api(request) else super().__call__(request)


class WebMessageMiddleware(MessageMiddleware):
    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request) if _is_api(request) else super().__call__(request)


class WebHtmxMiddleware(HtmxMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        return self.get_response(request) if _is_api(request) else super().__call__(request)


class PageCSPMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        if _is_api(request) and response.get("Content-Type", "").startswith("application/json"):
            return response
        return super().process_response(request, response)
