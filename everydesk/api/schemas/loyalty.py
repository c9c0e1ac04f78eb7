"""The loyalty figures (recovery/figures.py) as the API shows them."""

import datetime as dt

from ninja import Field, Schema

from everydesk.api.schemas.customers import CustomerSummary

PERIOD = r"^(\d{1,3}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$"


class LoyaltyQuery(Schema):
    period: str = Field(
        "30",
        pattern=PERIOD,
        description="Days up to today (`30`), or `YYYY-MM-DD..YYYY-MM-DD`; at most 366 days.",
    )
    team: int | None = Field(None, description="A team id: only its conversations and surveys.")
    tier: int | None = Field(None, description="A tier id: only its customers.")


class RateOut(Schema):
    part: int
    whole: int
    value: float | None = Field(description="part / whole, 0..1; null when whole is 0.")
    previous: float | None = Field(None, description="The same over the previous period.")


class ScoreOut(Schema):
    value: float | None = Field(description="CSAT: share 0..1 of 4-5; NPS: -100..100.")
    previous: float | None
    answered: int


class TrendPoint(Schema):
    label: str
    csat: float | None
    nps: float | None


class GroupOut(Schema):
    name: str
    csat: float | None
    csat_answers: int
    nps: float | None
    nps_answers: int


class VipOut(Schema):
    customers: int
    open_complaints: int
    sentiment: float | None = Field(description="Average of their voices in the period, -1..1.")
    csat: float | None
    csat_answers: int
    sla_breaches: int
    quiet_count: int = Field(description="VIPs not heard from in 90 days.")
    quiet: list[CustomerSummary] = Field(description="The first ten of them, longest first.")


class RepeatOut(Schema):
    complainers: RateOut
    others: RateOut


class SlaOut(Schema):
    all: RateOut
    first_response: RateOut
    resolution: RateOut


class LoyaltyOut(Schema):
    period_start: dt.date
    period_end: dt.date
    per: str = Field(description="Each trend point is a day, week or month.")
    csat: ScoreOut
    nps: ScoreOut
    recovery_rate: RateOut
    repeat_purchase: RepeatOut
    sla_attainment: SlaOut
    trend: list[TrendPoint]
    by_team: list[GroupOut]
    by_tier: list[GroupOut]
    vip: VipOut
