"""The weekly digest for leadership: an email (text and HTML) with the printed report as a
PDF, built from the same figures as the dashboard (figures.compute).

Schedule: the hourly job calls `send_due(now)`. Once the configured weekday and hour
have come (in EVERYDESK_DIGEST_TIME_ZONE), the week before that day is due; a
DigestRun row per week (unique on its first day) makes sending idempotent, so a
second worker, a second call or a restart never sends it twice, and a worker that was
down at the hour sends it at its next run.
"""

import logging
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from everydesk.insights import figures, presentation, rollups
from everydesk.insights.figures import Filters, Period
from everydesk.insights.models import DigestRecipient, DigestRun, DigestStatus
from everydesk.mail.compose import compose

log = logging.getLogger(__name__)


class DigestError(Exception):
    """The digest cannot be built or sent; the message says what to do."""


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.DIGEST_TIME_ZONE)


def week_before(day: date) -> Period:
    """The seven days that end the day before `day`."""
    return Period(day - timedelta(days=7), day - timedelta(days=1))


def last_week(now: datetime | None = None) -> Period:
    """The last seven complete days: what the preview shows."""
    return week_before((now or timezone.now()).astimezone(_zone()).date())


def due_period(now: datetime) -> Period:
    """The week whose digest is due at `now`: the one before the latest scheduled moment."""
    local = now.astimezone(_zone())
    day = local.date() - timedelta(days=(local.weekday() - settings.DIGEST_WEEKDAY) % 7)
    if datetime.combine(day, time(settings.DIGEST_HOUR), tzinfo=_zone()) > local:
        day -= timedelta(days=7)
    return week_before(day)


def recipients() -> list[str]:
    """Active DigestRecipient rows and EVERYDESK_DIGEST_TO, without duplicates."""
    emails = [*DigestRecipient.objects.filter(active=True).values_list("email", flat=True)]
    emails += settings.DIGEST_TO
    return list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))


def context(period: Period) -> dict[str, Any]:
    computed = figures.compute(period, Filters())
    return {
        "figures": computed,
        "cards": presentation.cards(computed),
        "charts": presentation.chart_set(computed),
        "series_rows": presentation.table_rows(computed),
        "site": settings.BASE_URL,
        "dashboard_url": f"{settings.BASE_URL}/desk/insights/",
        "SITE_NAME": settings.SITE_NAME,
    }


def render_html(ctx: dict[str, Any]) -> str:
    """The printed report (the PDF's source, also the browser preview)."""
    return render_to_string("insights/report.html", ctx)


def render_pdf(ctx: dict[str, Any]) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint loads pango when imported
        raise DigestError(
            "The PDF report needs the pango libraries: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from error
    pdf: bytes = HTML(string=render_html(ctx), base_url=settings.BASE_URL).write_pdf()
    return pdf


def pdf_name(period: Period) -> str:
    return f"digest-{period.start:%Y-%m-%d}.pdf"


def mail(period: Period, to: list[str]) -> int:
    """Build the digest for `period` and mail it to each address; returns how many."""
    rollups.refresh()  # up to the minute, not up to the last job
    ctx = context(period)
    pdf = render_pdf(ctx)
    for address in to:
        message = compose("weekly_digest", to=address, context=ctx)
        message.attach(pdf_name(period), pdf, "application/pdf")
        message.send()
    return len(to)


def send_due(now: datetime | None = None) -> DigestRun | None:
    """Send the digest that is due at `now`, unless it went out already."""
    now = now or timezone.now()
    period = due_period(now)
    if DigestRun.objects.filter(period_start=period.start, status=DigestStatus.SENT).exists():
        return None
    to = recipients()
    if not to:
        log.warning("Weekly digest due but nobody receives it: add a DigestRecipient.")
        return None
    return send(period, to, now=now)


def _claim(period: Period, to: list[str], now: datetime) -> DigestRun | None:
    """The run row for this week, claimed by this call; None if another call holds it."""
    try:
        with transaction.atomic():
            run, created = DigestRun.objects.select_for_update().get_or_create(
                period_start=period.start,
                defaults={"period_end": period.end, "recipients": to, "started_at": now},
            )
    except IntegrityError:
        return None  # another worker created it a moment ago
    if not created:
        # A run that failed is tried again; one that is sending or sent is left alone.
        if run.status != DigestStatus.FAILED:
            return None
        claimed = DigestRun.objects.filter(pk=run.pk, status=DigestStatus.FAILED).update(
            status=DigestStatus.SENDING, started_at=now, recipients=to, error=""
        )
        if not claimed:
            return None
        run.refresh_from_db()
    return run


def send(period: Period, to: list[str], *, now: datetime | None = None) -> DigestRun | None:
    """Send the digest of `period` to `to`, recorded as that week's run."""
    now = now or timezone.now()
    run = _claim(period, to, now)
    if run is None:
        return None
    try:
        mail(period, to)
    except Exception as error:
        run.status, run.error = DigestStatus.FAILED, f"{type(error).__name__}: {error}"
        run.save(update_fields=["status", "error"])
        raise
    run.status, run.sent_at = DigestStatus.SENT, timezone.now()
    run.save(update_fields=["status", "sent_at"])
    return run
