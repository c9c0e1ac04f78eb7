"""The public form: anyone may write to us, signed in or not, even from inside another site.

It is embedded with an iframe in company sites, so it is exempt from our
X-Frame-Options DENY and from CSRF. CSRF protects a signed-in person from
being made to act by another site; this form acts for nobody (it needs no
session, and what it creates is what anyone could send us by email), and
inside a third-party iframe our CSRF cookie is often not sent at all, so a
token check would turn away real people. Abuse is held off instead by a
honeypot field, a minimum fill time and a per-address rate limit.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from everydesk.lib.errors import ActionError
from everydesk.portal import actions, bots
from everydesk.portal.forms import PublicForm
from everydesk.portal.views.pages import show_action_error
from everydesk.portal.wording import KIND_CHOICES

logger = logging.getLogger(__name__)

STALE_FORM = (
    "This form was open for a long time, so we could not take it as it was. "
    "Please check your message and send it again."
)


def _form_rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_FORM_RATE


def _layout(embed: bool) -> str:
    return "portal/embed.html" if embed else "portal/layout.html"


def _thanks(embed: bool) -> HttpResponse:
    url = reverse("portal:form_thanks")
    return redirect(f"{url}?embed=1" if embed else url)


def _render(request: HttpRequest, form: PublicForm, stamp: str, embed: bool) -> HttpResponse:
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "stamp": stamp,
            "embed": embed,
            "layout": _layout(embed),
            "kinds": KIND_CHOICES,
        },
    )


def _drop(request: HttpRequest, embed: bool, why: str) -> HttpResponse:
    """Look exactly like success, so a bot learns nothing to adapt to."""
    logger.info(
        "Public form: dropped a submission (%s) from %s", why, request.META.get("REMOTE_ADDR")
    )
    return _thanks(embed)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
@ratelimit(group="portal.public_form", key="ip", rate=_form_rate, method="POST")
def public_form(request: HttpRequest) -> HttpResponse:
    embed = request.GET.get("embed") == "1"
    if request.method == "GET":
        return _render(request, PublicForm(), bots.stamp(), embed)
    form = PublicForm(request.POST)
    stamp = request.POST.get("started", "")
    verdict = bots.timing(stamp)
    if bots.in_honeypot(request.POST.get("website", "")):
        return _drop(request, embed, "honeypot")
    if not form.is_valid():
        # Mistakes are shown whatever the timing: an accidental early click on
        # Send must get the errors, not a false "thank you". The original stamp
        # is kept, so a quick correction does not look like a bot's speed.
        return _render(
            request, form, bots.stamp() if verdict is bots.Verdict.STALE else stamp, embed
        )
    if verdict is bots.Verdict.TOO_FAST:
        return _drop(request, embed, "too fast")
    if verdict is bots.Verdict.STALE:
        # Most likely a person who left the page open; keep their text and ask again.
        form.add_error(None, STALE_FORM)
        return _render(request, form, bots.stamp(), embed)
    data = form.cleaned_data
    try:
        actions.submit_public_form(
            name=data["name"],
            email=data["email"],
            kind=data["kind"],
            subject=data["subject"],
            body=data["message"],
        )
    except ActionError as error:
        show_action_error(form, error)
        return _render(request, form, stamp, embed)
    return _thanks(embed)


@xframe_options_exempt
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    embed = request.GET.get("embed") == "1"
    return render(request, "portal/form_thanks.html", {"embed": embed, "layout": _layout(embed)})
