"""The pages a survey email links to. No sign-in: the signed token is the key.

Opening a rating link only shows the answer form with that rating chosen; the
answer is recorded when the customer presses the button (a POST). Mail scanners
and link previews fetch every link in a message, and a GET that recorded would
let them answer for the customer, or use up the survey with the wrong score.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from everydesk.customers.models import Customer
from everydesk.lib.errors import ActionError
from everydesk.surveys import actions, links
from everydesk.surveys.forms import AnswerForm, preselected
from everydesk.surveys.models import Survey


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/link_gone.html", status=410)


def _survey(token: str) -> Survey:
    """The survey a token names; Http404 for a token we did not make (ExpiredLink passes)."""
    try:
        signed = links.read_answer_token(token)
    except links.BadLink:
        raise Http404("This link is not valid.") from None
    survey = (
        Survey.objects.select_related("customer", "conversation")
        .filter(pk=signed.survey_id, customer_id=signed.customer_id)
        .first()
    )
    if survey is None:
        raise Http404("This link is not valid.")
    return survey


def _answered(request: HttpRequest, survey: Survey, *, status: int = 200) -> HttpResponse:
    return render(request, "surveys/answered.html", {"survey": survey}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        survey = _survey(token)
    except links.ExpiredLink:
        return _gone(request)
    if survey.is_answered:
        return _answered(request, survey, status=200 if request.method == "GET" else 409)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        scale=survey.scale,
        initial={"score": preselected(request.GET.get("score"), survey.scale)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer(
                survey=survey,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ActionError as error:
            survey.refresh_from_db()
            if survey.is_answered:
                return _answered(request, survey, status=409)
            form.add_error("score" if error.field == "score" else None, error.message)
        else:
            return _answered(request, survey)
    status = 400 if form.errors else 200
    return render(request, "surveys/answer.html", {"survey": survey, "form": form}, status=status)


def _opt_out_customer(token: str) -> Customer:
    try:
        customer_id = links.read_opt_out_token(token)
    except links.BadLink:
        raise Http404("This link is not valid.") from None
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise Http404("This link is not valid.")
    return customer


# The signed token is the authority, not a session, so there is nothing for a forged
# cross-site POST to borrow; mail programs' one-click unsubscribe (RFC 8058) posts
# without any cookie or CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    try:
        customer = _opt_out_customer(token)
    except links.ExpiredLink:
        return _gone(request)
    if request.method == "POST":
        actions.opt_out(customer=customer)
        return render(request, "surveys/opted_out.html", {"customer": customer})
    return render(request, "surveys/opt_out.html", {"customer": customer})
