"""The desk is for staff. Everyone else is sent away before a view runs."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from everydesk.accounts.models import Role, User

View = Callable[..., HttpResponse]


class DeskRequest(HttpRequest):
    """What a desk view receives once `staff_required` has let it through."""

    user: User  # type: ignore[assignment]  # narrowed: always a signed-in staff member
    htmx: HtmxDetails


def staff_required(view: View) -> View:
    """Anonymous people are asked to sign in; customers get a 404.

    A 404 rather than 403 for customers matches `access`: the desk does not
    admit that a page exists to someone who may not use it.
    """

    @wraps(view)
    def wrapper(request: DeskRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            to_login = redirect_to_login(request.get_full_path())
            # An HTMX poll after the session ended must move the whole page, not
            # swap the sign-in form into the inbox list.
            return HttpResponseClientRedirect(to_login.url) if request.htmx else to_login
        if not user.is_staff_member:
            raise Http404("The desk is for staff.")
        return view(request, *args, **kwargs)

    return wrapper


def insights_required(view: View) -> View:
    """Staff who see the figures (admins and managers); other staff get a 404 too."""

    @staff_required
    @wraps(view)
    def wrapper(request: DeskRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.sees_insights:
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: View) -> View:
    """Admins only (set-up pages such as order import); other staff get a 404 too."""

    @staff_required
    @wraps(view)
    def wrapper(request: DeskRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.role != Role.ADMIN:
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    return wrapper
