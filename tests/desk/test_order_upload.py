"""/desk/orders/import/: admins upload a CSV; a job imports it; the page polls for the result."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.customers.models import ImportState, Order, OrderImport
from tests.customers.conftest import GOOD_ROWS, csv_text

UPLOAD = reverse("desk:order_imports")


def upload(client, rows, capture, **extra):
    data = {"file": SimpleUploadedFile("orders.csv", csv_text(rows).encode()), **extra}
    with capture(execute=True):
        return client.post(UPLOAD, data)


def test_admin_uploads_orders_and_sees_the_summary(
    signed_in, admin, customer, django_capture_on_commit_callbacks
):
    client = signed_in(admin)
    response = upload(client, GOOD_ROWS, django_capture_on_commit_callbacks)
    job = OrderImport.objects.get()
    assert response["Location"] == reverse("desk:order_import", args=[job.pk])
    assert job.state == ImportState.DONE
    assert (job.rows_total, job.rows_checked) == (3, 3)
    assert Order.objects.count() == 3
    html = client.get(response["Location"]).content.decode()
    assert "3 created, 0 updated, 0 unchanged, 0 bad" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: the block stops polling


def test_the_same_file_uploaded_twice_changes_nothing(
    signed_in, admin, customer, django_capture_on_commit_callbacks
):
    client = signed_in(admin)
    upload(client, GOOD_ROWS, django_capture_on_commit_callbacks)
    upload(client, GOOD_ROWS, django_capture_on_commit_callbacks)
    second = OrderImport.objects.order_by("id").last()
    assert second.summary["unchanged"] == 3
    assert Order.objects.count() == 3


def test_bad_rows_are_listed_and_nothing_is_imported(
    signed_in, admin, customer, django_capture_on_commit_callbacks
):
    rows = [*GOOD_ROWS, ("A-9", "carol@example.com", "", "2026-02-30", "1", "", "")]
    client = signed_in(admin)
    response = upload(client, rows, django_capture_on_commit_callbacks)
    html = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in html
    assert "<td>5</td><td>placed_at</td>" in html
    assert Order.objects.count() == 0
    assert OrderImport.objects.get().state == ImportState.REFUSED


def test_skip_bad_imports_the_good_rows(
    signed_in, admin, customer, django_capture_on_commit_callbacks
):
    rows = [*GOOD_ROWS, ("A-9", "carol@example.com", "", "2026-02-30", "1", "", "")]
    upload(signed_in(admin), rows, django_capture_on_commit_callbacks, skip_bad="on")
    assert Order.objects.count() == 3
    assert OrderImport.objects.get().summary["bad"] == 1


def test_a_file_with_wrong_columns_fails_with_the_reason(
    signed_in, admin, django_capture_on_commit_callbacks
):
    client = signed_in(admin)
    data = {"file": SimpleUploadedFile("orders.csv", b"sku,qty\nA,1\n")}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, data)
    html = client.get(response["Location"]).content.decode()
    assert "Missing column: number, email, placed_at, amount" in html
    assert OrderImport.objects.get().state == ImportState.FAILED


def test_a_queued_import_polls_for_progress(signed_in, admin):
    client = signed_in(admin)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("o.csv", b"x")})
    job = OrderImport.objects.get()  # queued: the job runs only once the upload commits
    progress = reverse("desk:order_import_progress", args=[job.pk])
    html = client.get(response["Location"]).content.decode()
    assert f'hx-get="{progress}"' in html
    assert "Waiting for the worker" in client.get(progress).content.decode()


def test_the_upload_form_needs_a_file(signed_in, admin):
    response = signed_in(admin).post(UPLOAD, {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not OrderImport.objects.exists()


def test_only_admins_may_import_orders(signed_in, agent, manager):
    for user in (agent, manager):
        assert signed_in(user).get(UPLOAD).status_code == 404
