"""The portal is for customers. Everyone else is sent where they belong."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from everydesk.accounts.models import User
from everydesk.conversations.access import customer_of
from everydesk.customers.models import Customer

View = Callable[..., HttpResponse]


class PortalRequest(HttpRequest):
    """What a portal view receives once `customer_required` has let it through."""

    user: User  # type: ignore[assignment]  # narrowed: always a signed-in customer
    customer: Customer


def customer_required(view: View) -> View:
    """Anonymous people are asked for their email; staff go to the desk.

    The view receives the signed-in customer's profile as `request.customer`.
    A customer login whose profile was removed is signed out: it has nothing
    left to show.
    """

    @wraps(view)
    def wrapper(request: PortalRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff_member:
            return redirect("home")  # `home` knows where each role works
        customer = customer_of(user) if user.is_authenticated else None
        if customer is None:
            if user.is_authenticated:
                logout(request)
            return redirect_to_login(request.get_full_path(), "portal:login")
        request.customer = customer
        return view(request, *args, **kwargs)

    return wrapper
