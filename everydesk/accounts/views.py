from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from everydesk.accounts.models import ApiToken, User

# Enough for every script and integration a person runs; a cap keeps a
# forgotten loop from minting thousands of live credentials.
MAX_ACTIVE_TOKENS = 25


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("portal:login")
    if user.is_staff_member:
        return redirect("desk:inbox")
    return redirect("portal:home")


class SignedInRequest(HttpRequest):
    user: User  # type: ignore[assignment]  # narrowed by login_required


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=100,
        error_messages={"required": "Give the token a name, so you know later what uses it."},
    )


@login_required
@never_cache  # the page may show a raw token; no cache should keep it
@require_http_methods(["GET", "POST"])
def tokens(request: SignedInRequest) -> HttpResponse:
    """List, and create, the signed-in person's API tokens. A new raw token is shown once."""
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        if request.user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                "name",
                f"You have {MAX_ACTIVE_TOKENS} active tokens. Revoke one you no longer use first.",
            )
        else:
            _, raw = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "raw": raw,
            "tokens": request.user.api_tokens.all(),
        },
    )


@login_required
@require_POST
def revoke_token(request: SignedInRequest, token_id: int) -> HttpResponse:
    # One conditional UPDATE: only one's own, still-active token; anything else is "not found".
    revoked = ApiToken.objects.filter(
        pk=token_id, user=request.user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not revoked:
        raise Http404("No such token.")
    messages.success(request, "The token is revoked. Anything still using it will be refused.")
    return redirect("accounts:tokens")
