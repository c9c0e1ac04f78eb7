"""The loyalty figures for the people who see the insights (admins and managers);
404 for anyone else. The same computation as the dashboard (recovery/figures.py)."""

from datetime import date, timedelta

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from everydesk.accounts.models import Team
from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.loyalty import LoyaltyOut, LoyaltyQuery
from everydesk.customers.models import Tier
from everydesk.insights import figures
from everydesk.insights.figures import Filters, Period
from everydesk.insights.rollups import local_day
from everydesk.lib.errors import ActionError
from everydesk.recovery import figures as loyalty
from everydesk.recovery.figures import Answers, Group, Rate

router = Router(tags=["figures"])
LONGEST = 366


def parse_period(text: str, today: date) -> Period:
    if ".." not in text:
        days = int(text)
        if not 1 <= days <= LONGEST:
            raise ActionError(f"A period is 1 to {LONGEST} days.", field="period")
        return Period(today - timedelta(days=days - 1), today)
    try:
        start, end = (date.fromisoformat(part) for part in text.split(".."))
    except ValueError:
        raise ActionError("Dates are written YYYY-MM-DD.", field="period") from None
    if start > end or (end - start).days + 1 > LONGEST:
        raise ActionError(
            f"The start must not be after the end, and a period is at most {LONGEST} days.",
            field="period",
        )
    return Period(start, end)


def _filters(team_id: int | None, tier_id: int | None) -> Filters:
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    if team_id is not None and team is None:
        raise ActionError(f"There is no team {team_id}.", field="team")
    tier = Tier.objects.filter(pk=tier_id).first() if tier_id is not None else None
    if tier_id is not None and tier is None:
        raise ActionError(f"There is no tier {tier_id}.", field="tier")
    return Filters(
        team_id=team_id,
        tier_id=tier_id,
        team_name=team.name if team else "",
        tier_name=tier.name if tier else "",
    )


def _rate(rate: Rate, previous: Rate | None = None) -> dict:
    before = previous.value if previous else None
    return {"part": rate.part, "whole": rate.whole, "value": rate.value, "previous": before}


def _group(group: Group) -> dict:
    return {
        "name": group.name,
        "csat": group.csat.csat,
        "csat_answers": group.csat.answered,
        "nps": group.nps.nps,
        "nps_answers": group.nps.answered,
    }


def _score(value: float | None, previous: float | None, answers: Answers) -> dict:
    return {"value": value, "previous": previous, "answered": answers.answered}


@router.get("/loyalty", response={200: LoyaltyOut, **errors(400, 401, 404, 422)})
def loyalty_figures(request: HttpRequest, query: Query[LoyaltyQuery]) -> dict:
    """CSAT, NPS, recovery, repeat purchases, SLA attainment and VIP health for a period."""
    if not caller(request).sees_insights:
        raise Http404("Not found.")
    period = parse_period(query.period, local_day(timezone.now()))
    buckets = figures.buckets_of(period)
    found = loyalty.compute(period, _filters(query.team, query.tier), buckets)
    per = figures.granularity(period)
    vip = found.vip
    return {
        "period_start": period.start,
        "period_end": period.end,
        "per": per,
        "csat": _score(found.csat.csat, found.csat_before.csat, found.csat),
        "nps": _score(found.nps.nps, found.nps_before.nps, found.nps),
        "recovery_rate": _rate(found.recovery, found.recovery_before),
        "repeat_purchase": {
            "complainers": _rate(found.repeat_complainers),
            "others": _rate(found.repeat_others),
        },
        "sla_attainment": {
            "all": _rate(found.sla, found.sla_before),
            "first_response": _rate(found.sla_first_response),
            "resolution": _rate(found.sla_resolution),
        },
        "trend": [
            {"label": figures.label_of(start, per), "csat": csat, "nps": nps}
            for (start, _), csat, nps in zip(
                buckets, found.csat_trend, found.nps_trend, strict=True
            )
        ],
        "by_team": [_group(g) for g in found.by_team],
        "by_tier": [_group(g) for g in found.by_tier],
        "vip": {
            "customers": vip.customers,
            "open_complaints": vip.open_complaints,
            "sentiment": vip.sentiment,
            "csat": vip.csat.csat,
            "csat_answers": vip.csat.answered,
            "sla_breaches": vip.breaches,
            "quiet_count": vip.quiet_count,
            "quiet": vip.quiet,
        },
    }
