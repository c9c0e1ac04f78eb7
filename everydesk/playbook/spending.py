"""Spending per person or team and period, beside what it achieved.

"Stayed" counts the customers helped who ordered again after the action
(customers.Order); CSAT is the average answer (1-5) to the surveys of the
conversations the actions were taken on. Only actions carried out count: a
request waiting or denied spent nothing, and a failed one was given back.
Four queries, however many people and actions.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from everydesk.accounts.models import Team, User
from everydesk.customers.models import Order
from everydesk.lib.errors import ActionError
from everydesk.playbook.models import ActionStatus, Period, TakenAction
from everydesk.playbook.policies import period_end, period_start
from everydesk.surveys.models import Survey, SurveyKind

PERIODS = Period.choices
GROUPS = ("person", "team")


@dataclass(frozen=True)
class Choice:
    """Which period and whose actions; `actor_id` is forced to oneself for most staff."""

    period: str
    starts_on: dt.date
    group: str = "person"
    actor_id: int | None = None
    team_id: int | None = None

    @property
    def ends_on(self) -> dt.date:
        return period_end(self.period, self.starts_on)

    @property
    def previous(self) -> "Choice":
        return replace(
            self,
            starts_on=period_start(self.period, _midnight(self.starts_on) - dt.timedelta(days=1)),
        )

    @property
    def next(self) -> "Choice":
        return replace(self, starts_on=self.ends_on)

    @classmethod
    def from_query(cls, query: Mapping[str, str], user: User) -> "Choice":
        period = query.get("period") or Period.MONTH
        if period not in Period.values:
            raise ActionError(f"Use a period of {', '.join(Period.values)}.", field="period")
        day = _date(query.get("start", ""))
        starts_on = period_start(period, _midnight(day) if day else None)
        group = str(query.get("group")) if query.get("group") in GROUPS else "person"
        if not user.sees_insights:
            return cls(period, starts_on, "person", actor_id=user.pk)
        return cls(
            period,
            starts_on,
            group,
            actor_id=_int(query.get("actor")),
            team_id=_int(query.get("team")),
        )


def _date(raw: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ActionError("Give the date as YYYY-MM-DD.", field="start") from None


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def bounds(period: str, day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The moments a period (the one holding `day`, or now) begins and ends."""
    starts = period_start(period, _midnight(day) if day else None)
    return _midnight(starts), _midnight(period_end(period, starts))


def in_period(choice: Choice) -> QuerySet[TakenAction]:
    """The actions of the chosen period and people (every status)."""
    start, end = bounds(choice.period, choice.starts_on)
    found = TakenAction.objects.filter(created_at__gte=start, created_at__lt=end)
    if choice.actor_id:
        found = found.filter(actor_id=choice.actor_id)
    if choice.team_id:
        found = found.filter(team_id=choice.team_id)
    return found


@dataclass
class Row:
    label: str
    key: int | None
    count: int = 0
    amount: Decimal = Decimal("0")
    by_type: list[tuple[str, int, Decimal]] = field(default_factory=list)
    customers: int = 0
    stayed: int = 0
    csat: float | None = None
    csat_answers: int = 0


def _key(choice: Choice) -> str:
    return "actor_id" if choice.group == "person" else "team_id"


def _label(row: dict[str, Any], choice: Choice) -> str:
    if choice.group == "team":
        return row["team__name"] or "No team"
    name = f"{row['actor__first_name']} {row['actor__last_name']}".strip()
    return name or row["actor__email"]


def rows(choice: Choice) -> list[Row]:
    done = in_period(choice).filter(status=ActionStatus.DONE)
    key = _key(choice)
    names = (
        ("team__name",)
        if choice.group == "team"
        else ("actor__first_name", "actor__last_name", "actor__email")
    )
    found: dict[int | None, Row] = {}
    per_type = done.values(key, *names, "action_type__name").annotate(
        n=Count("pk"), total=Sum("amount")
    )
    for item in per_type.order_by(key, "action_type__name"):
        row = found.setdefault(item[key], Row(label=_label(item, choice), key=item[key]))
        row.count += item["n"]
        row.amount += item["total"] or Decimal("0")
        row.by_type.append((item["action_type__name"], item["n"], item["total"] or Decimal("0")))
    _add_stayed(done, key, found)
    _add_csat(done, key, found)
    return sorted(found.values(), key=lambda row: (-row.amount, -row.count, row.label))


def _add_stayed(done: QuerySet[TakenAction], key: str, found: dict[int | None, Row]) -> None:
    ordered_again = Order.objects.filter(
        customer_id=OuterRef("customer_id"), placed_at__gt=OuterRef("created_at")
    )
    counted = (
        done.annotate(ordered_again=Exists(ordered_again))
        .values(key)
        .annotate(
            customers=Count("customer_id", distinct=True),
            stayed=Count("customer_id", distinct=True, filter=Q(ordered_again=True)),
        )
        .order_by()
    )
    for item in counted:
        if item[key] in found:
            found[item[key]].customers, found[item[key]].stayed = item["customers"], item["stayed"]


def _add_csat(done: QuerySet[TakenAction], key: str, found: dict[int | None, Row]) -> None:
    pairs = set(done.values_list(key, "conversation_id").distinct())
    scores: dict[int, list[int]] = defaultdict(list)
    answered = Survey.objects.filter(
        kind=SurveyKind.CSAT,
        score__isnull=False,
        conversation_id__in=done.values("conversation_id"),
    ).values_list("conversation_id", "score")
    for conversation_id, score in answered:
        if conversation_id is not None and score is not None:
            scores[conversation_id].append(score)
    totals: dict[int | None, list[int]] = defaultdict(list)
    for group_id, conversation_id in pairs:
        totals[group_id] += scores.get(conversation_id, [])
    for group_id, answers in totals.items():
        if answers and group_id in found:
            found[group_id].csat = sum(answers) / len(answers)
            found[group_id].csat_answers = len(answers)


def teams_for(user: User) -> list[Team]:
    return list(Team.objects.order_by("name")) if user.sees_insights else []
