"""The managers' dashboard and the browser preview of the weekly digest (HTML and PDF)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from everydesk.desk.decorators import DeskRequest
from everydesk.insights import digest, figures, presentation
from everydesk.insights.access import insights_required
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
    }
    return render(request, "insights/dashboard.html", context)


@require_GET
@insights_required
def digest_preview(request: DeskRequest) -> HttpResponse:
    """This week's digest as it will be mailed (the last complete week)."""
    return HttpResponse(digest.render_html(digest.context(digest.last_week())))


@require_GET
@insights_required
def digest_pdf(request: DeskRequest) -> HttpResponse:
    period = digest.last_week()
    response = HttpResponse(
        digest.render_pdf(digest.context(period)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{digest.pdf_name(period)}"'
    return response
