"""The weekly digest: built from the dashboard's figures, mailed on schedule, never twice."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.insights import digest
from everydesk.insights.models import DigestRecipient, DigestRun, DigestStatus

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def schedule(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DIGEST_WEEKDAY = 0  # Monday
    settings.DIGEST_HOUR = 8
    settings.DIGEST_TIME_ZONE = "Europe/Paris"
    settings.DIGEST_TO = ["ceo@company.test"]
    DigestRecipient.objects.create(email="coo@company.test")
    DigestRecipient.objects.create(email="gone@company.test", active=False)


def week_of_conversations(customer, monday: datetime, count: int) -> None:
    for n in range(count):
        conversation = actions.open_conversation(
            customer=customer, subject=f"Order {n}", body="Late.", kind=Kind.COMPLAINT
        )
        moment = monday + timedelta(days=n % 7, hours=10)
        Conversation.objects.filter(pk=conversation.pk).update(created_at=moment, updated_at=moment)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_nothing_is_sent_before_the_hour_and_the_week_is_sent_at_it(customer):
    DigestRun.objects.create(
        period_start="2026-05-18", period_end="2026-05-24", status=DigestStatus.SENT
    )
    # Monday 1 June 2026, 07:30 in Paris (05:30 UTC): the week before went out; not yet.
    assert digest.send_due(datetime(2026, 6, 1, 5, 30, tzinfo=UTC)) is None
    assert mail.outbox == []
    week_of_conversations(customer, datetime(2026, 5, 25, tzinfo=UTC), 4)
    run = digest.send_due(datetime(2026, 6, 1, 6, 5, tzinfo=UTC))  # 08:05 in Paris
    assert run is not None and run.status == DigestStatus.SENT
    assert (run.period_start.isoformat(), run.period_end.isoformat()) == (
        "2026-05-25",
        "2026-05-31",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["ceo@company.test", "coo@company.test"]
    message = mail.outbox[0]
    assert "weekly digest" in message.subject and "25 May 2026" in message.subject
    assert "Conversations opened: 4" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Conversations opened" in html
    name, pdf, content_type = message.attachments[0]
    assert (name, content_type) == ("digest-2026-05-25.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Conversations opened" in text and "Customer satisfaction (CSAT)" in text


def test_the_digest_is_not_sent_twice(customer):
    moment = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    assert digest.send_due(moment) is not None
    sent = len(mail.outbox)
    assert digest.send_due(moment + timedelta(hours=1)) is None
    assert digest.send_due(moment + timedelta(days=3)) is None
    assert len(mail.outbox) == sent
    assert DigestRun.objects.count() == 1


def test_a_worker_down_at_the_hour_catches_up_later():
    # Down all Monday; back on Wednesday: last week's digest still goes out.
    run = digest.send_due(datetime(2026, 6, 3, 12, 0, tzinfo=UTC))
    assert run is not None and run.period_start.isoformat() == "2026-05-25"
    # The following Monday brings the next week.
    run = digest.send_due(datetime(2026, 6, 8, 9, 0, tzinfo=UTC))
    assert run is not None and run.period_start.isoformat() == "2026-06-01"
    assert DigestRun.objects.filter(status=DigestStatus.SENT).count() == 2


def test_a_failed_send_is_tried_again_at_the_next_run(settings):
    settings.EMAIL_BACKEND = "tests.insights.failing_backend.RefusingBackend"
    moment = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    with pytest.raises(ConnectionRefusedError):
        digest.send_due(moment)
    assert DigestRun.objects.get().status == DigestStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest.send_due(moment + timedelta(hours=1)).status == DigestStatus.SENT
    assert len(mail.outbox) == 2


def test_digest_command_sends_now_to_the_addresses_given():
    out = io.StringIO()
    call_command("digest", "--send", "--to", "board@company.test", stdout=out)
    assert [m.to for m in mail.outbox] == [["board@company.test"]]
    assert "Sent the digest" in out.getvalue()
    assert DigestRun.objects.count() == 0  # a copy by hand is not the scheduled run


def test_digest_command_refuses_a_bad_address_and_a_missing_send():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("digest", "--send", "--to", "nobody")
    with pytest.raises(CommandError, match="add --send"):
        call_command("digest")
    assert mail.outbox == []


def test_preview_pages_show_the_digest_and_a_real_pdf(client, manager, customer):
    week_of_conversations(customer, timezone.now() - timedelta(days=7), 3)
    client.force_login(manager)
    html = client.get("/desk/insights/digest/")
    assert html.status_code == 200 and "weekly digest" in html.content.decode()
    assert "<svg" in html.content.decode()
    pdf = client.get("/desk/insights/digest.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "Conversations opened" in pdf_text(pdf.content)


def test_pdf_preview_names_the_missing_libraries(client, manager, monkeypatch):
    def no_pango(ctx):
        raise digest.DigestError("The PDF report needs the pango libraries: apt-get install x")

    monkeypatch.setattr(digest, "render_pdf", no_pango)
    client.force_login(manager)
    response = client.get("/desk/insights/digest.pdf")
    assert response.status_code == 503
    assert "pango" in response.content.decode()
