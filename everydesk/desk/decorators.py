"""The desk is for staff. Everyone else is sent away before a view runs."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Anonymous people are asked to sign in; customers get a 404.

    A 404 rather than 403 for customers matches `access`: the desk does not
    admit that a page exists to someone who may not use it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff_member:
            raise Http404("The desk is for staff.")
        return view(request, *args, **kwargs)

    return wrapper
