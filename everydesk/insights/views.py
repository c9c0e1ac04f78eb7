"""The managers' dashboard and the browser preview of the weekly digest (HTML and PDF)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from everydesk.desk.decorators import DeskRequest, insights_required
from everydesk.insights import digest, figures, presentation
from everydesk.insights.forms import DashboardForm


@require_GET
@insights_required
def dashboard(request: DeskRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Bad dates: the form says why, and nothing else is drawn until they are fixed.
        return render(request, "insights/dashboard.html", {"form": form}, status=400)
    computed = figures.compute(form.period(), form.filters())
    context = {
        "form": form,
        "figures": computed,
        "cards": presentation.cards(computed),
        "charts": presentation.chart_set(computed),
        "series_rows": presentation.table_rows(computed),
        "loyalty_rows": presentation.loyalty_rows(computed),
    }
    return render(request, "insights/dashboard.html", context)


@require_GET
@insights_required
def digest_preview(request: DeskRequest) -> HttpResponse:
    """The printed report of the last seven complete days, as the digest's PDF shows it."""
    return HttpResponse(digest.render_html(digest.context(digest.last_week())))


@require_GET
@insights_required
def digest_pdf(request: DeskRequest) -> HttpResponse:
    period = digest.last_week()
    try:
        pdf = digest.render_pdf(digest.context(period))
    except digest.DigestError as error:
        # The server lacks the PDF libraries: say which, rather than a bare error page.
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{digest.pdf_name(period)}"'
    return response
