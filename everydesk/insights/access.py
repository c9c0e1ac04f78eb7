"""Who may see the figures: admins and managers (`User.sees_insights`). Everyone else on
the desk gets the same 404 as for anything they may not see; anonymous people sign in."""

from functools import wraps

from django.http import Http404, HttpResponse

from everydesk.desk.decorators import DeskRequest, View, staff_required


def insights_required(view: View) -> View:
    @staff_required
    @wraps(view)
    def wrapper(request: DeskRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.sees_insights:
            raise Http404("The figures are for managers.")
        return view(request, *args, **kwargs)

    return wrapper
