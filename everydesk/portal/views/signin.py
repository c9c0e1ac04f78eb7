"""Customers sign in with a link we email them; they never have a password.

Requesting a link always shows the same page, so the form cannot be used
to find out which addresses we know. Opening the link shows a button
rather than signing in at once: mail scanners fetch links to check them,
and a GET that spent the link would leave the customer with a dead one.
"""

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from everydesk.conversations.access import customer_of
from everydesk.customers.actions import normalise_email
from everydesk.portal import actions, links
from everydesk.portal.forms import LinkRequestForm

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_rate(group: str, request: HttpRequest) -> str:
    # Read per request, so a changed setting (or a test) takes effect at once.
    return settings.LOGIN_LINK_RATE


def _email_key(group: str, request: HttpRequest) -> str:
    return normalise_email(request.POST.get("email", ""))


def _safe_next(request: HttpRequest, value: str) -> str:
    """Only paths on this site; anything else would make us an open redirect."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _already_in(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if user.is_authenticated and (user.is_staff_member or customer_of(user)):
        return redirect("home")
    return None


@require_http_methods(["GET", "POST"])
@ratelimit(group="portal.login_link.ip", key="ip", rate=_link_rate, method="POST")
@ratelimit(group="portal.login_link.email", key=_email_key, rate=_link_rate, method="POST")
def request_link(request: HttpRequest) -> HttpResponse:
    if response := _already_in(request):
        return response
    form = LinkRequestForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        actions.send_login_link(
            email=email, next_url=_safe_next(request, form.cleaned_data["next"])
        )
        return render(
            request,
            "portal/login_sent.html",
            {
                "email": email,
                "minutes": settings.PORTAL_LINK_MINUTES,
            },
        )
    return render(request, "portal/login.html", {"form": form})


def _link_gone(request: HttpRequest, next_url: str) -> HttpResponse:
    form = LinkRequestForm(initial={"next": next_url})
    return render(request, "portal/link_gone.html", {"form": form}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def use_link(request: HttpRequest, token: str) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next", ""))
    if request.method == "GET":
        link = links.find(token)
        if link is None or not link.is_usable:
            return _link_gone(request, next_url)
        return render(request, "portal/link.html", {"customer": link.customer})
    user = actions.redeem_login_link(token)
    if user is None:
        return _link_gone(request, next_url)
    login(request, user, backend=MODEL_BACKEND)
    return redirect(next_url or "portal:home")
