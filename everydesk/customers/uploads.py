"""Order files uploaded in the desk: stored, imported by a job, progress kept on the row.

The job runs the same import as the command (customers/orders.py); the page polls
the OrderImport row for progress and then shows the same summary and bad rows.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.customers.models import ImportState, OrderImport
from everydesk.customers.orders import (
    BadFile,
    Progress,
    Summary,
    csv_rows,
    import_orders,
    open_csv,
)

REPORTED_PROBLEMS = 1000  # kept on the row; a file with more bad rows needs fixing anyway


def upload(*, file: UploadedFile, skip_bad: bool, by: User) -> OrderImport:
    """Store the file and queue its import once the upload is committed."""
    from everydesk.customers import tasks

    name = (file.name or "orders.csv")[:255]
    job = OrderImport.objects.create(file=file, filename=name, skip_bad=skip_bad, uploaded_by=by)
    transaction.on_commit(lambda: tasks.run_order_import(job.pk))
    return job


def run(import_id: int) -> None:
    claimed = OrderImport.objects.filter(pk=import_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING
    )
    if not claimed:
        return  # already run, or running in another worker
    job = OrderImport.objects.get(pk=import_id)
    try:
        with job.file.open("rb") as raw:
            rows = list(csv_rows(open_csv(raw)))
        OrderImport.objects.filter(pk=job.pk).update(rows_total=len(rows))
        summary = import_orders(rows, skip_bad=job.skip_bad, progress=_progress(job.pk))
    except BadFile as error:
        _finish(job, ImportState.FAILED, error=str(error))
    except Exception as error:
        # The import's transaction rolled back: record why, so the page does not spin.
        _finish(job, ImportState.FAILED, error=f"The import failed ({error}); nothing imported.")
        raise
    else:
        state = ImportState.DONE if summary.imported else ImportState.REFUSED
        _finish(job, state, summary=summary)


def _progress(import_id: int) -> Progress:
    def advance(phase: str, rows: int) -> None:
        # Only the check is reported row by row: it runs before the import's
        # transaction, so the page sees each figure at once. Writes happen inside
        # that transaction, invisible to the page until they commit together (and on
        # SQLite the transaction holds the only write lock), so the page shows
        # "writing" until the summary arrives.
        if phase == "checked":
            OrderImport.objects.filter(pk=import_id).update(rows_checked=F("rows_checked") + rows)

    return advance


def _finish(
    job: OrderImport, state: ImportState, *, summary: Summary | None = None, error: str = ""
) -> None:
    fields = {"state": state, "error": error, "finished_at": timezone.now()}
    if summary is not None:
        fields["summary"] = {**summary.counts(), "problems": len(summary.problems)}
        fields["problems"] = [p.as_dict() for p in summary.problems[:REPORTED_PROBLEMS]]
    OrderImport.objects.filter(pk=job.pk).update(**fields)
