from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("portal:login")
    if user.is_staff_member:
        return redirect("desk:inbox")
    return redirect("portal:home")
