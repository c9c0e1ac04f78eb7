"""An admin uploads an order file; the page waits for the worker, then shows the summary;
the customer's page shows the figures. A real Chromium, a real job taken off the queue."""

from django.conf import settings

from everydesk.customers.models import Customer, ImportState, OrderImport
from tests.customers.conftest import GOOD_ROWS, csv_text


def test_admin_uploads_orders_and_watches_them_arrive(page, sign_in_staff, admin, customer):
    huey = settings.HUEY
    huey.immediate = False  # a worker takes the job, as in production (restored by conftest)
    sign_in_staff(page, admin)
    page.click("nav >> text=Import orders")
    page.set_input_files(
        "input[type=file]",
        files=[
            {"name": "orders.csv", "mimeType": "text/csv", "buffer": csv_text(GOOD_ROWS).encode()}
        ],
    )
    page.click("button:has-text('Import')")
    page.wait_for_selector("text=Waiting for the worker")

    job = OrderImport.objects.get()
    task = huey.dequeue()  # what `everydesk worker` does
    huey.execute(task)
    assert OrderImport.objects.get(pk=job.pk).state == ImportState.DONE

    # The page polls and swaps in the summary without a reload.
    page.wait_for_selector("text=3 created, 0 updated, 0 unchanged, 0 bad")
    assert page.locator("[data-state=done]").is_visible()

    page.goto(f"/desk/customers/{customer.pk}/")
    assert page.locator("[data-figure=order-count]").inner_text() == "2"
    assert "200.50 EUR" in page.locator("[data-figure=lifetime-value]").inner_text()
    assert Customer.objects.get(pk=customer.pk).order_count == 2
