"""Order files uploaded by admins: the upload form, then a page that polls the job
(HTMX, every second) until it shows the summary and the bad rows."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from everydesk.customers import uploads
from everydesk.customers.models import ImportState, OrderImport
from everydesk.customers.order_rows import COLUMNS, REQUIRED
from everydesk.desk.decorators import DeskRequest, admin_required
from everydesk.desk.forms import OrderFileForm

RECENT = 20
RUNNING = (ImportState.QUEUED, ImportState.RUNNING)


@require_http_methods(["GET", "POST"])
@admin_required
def upload_page(request: DeskRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = OrderFileForm(request.POST, request.FILES) if posted else OrderFileForm()
    if posted and form.is_valid():
        job = uploads.upload(
            file=form.cleaned_data["file"], skip_bad=form.cleaned_data["skip_bad"], by=request.user
        )
        return redirect("desk:order_import", import_id=job.pk)
    context = {
        "form": form,
        "columns": COLUMNS,
        "required": REQUIRED,
        "recent": OrderImport.objects.select_related("uploaded_by")[:RECENT],
    }
    return render(request, "desk/order_imports.html", context, status=400 if form.errors else 200)


def _job(import_id: int) -> OrderImport:
    job = OrderImport.objects.filter(pk=import_id).first()
    if job is None:
        raise Http404("No such import.")
    return job


@require_GET
@admin_required
def import_page(request: DeskRequest, import_id: int) -> HttpResponse:
    job = _job(import_id)
    return render(request, "desk/order_import.html", {"job": job, "running": job.state in RUNNING})


@require_GET
@admin_required
def import_progress(request: DeskRequest, import_id: int) -> HttpResponse:
    """The status block alone; it stops polling itself once the import has finished."""
    job = _job(import_id)
    return render(
        request, "desk/_order_import_status.html", {"job": job, "running": job.state in RUNNING}
    )
