"""What a person may do for a customer, and how much of it they have left.

A policy matches a person by role or by team, and a customer by tier (a policy
with no tiers covers every customer). When several policies of one action type
match, the most generous one governs: the highest limit per action (no limit
beats any limit), then the highest limit per period, then the oldest policy.
Only one policy governs so that a person has one budget per action type and
period, not one per policy that happens to match.

Types with an amount are limited in money; types without one (a replacement,
expedited shipping) count actions, so their period limit is a number of times.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.customers.models import Customer
from everydesk.playbook.models import ActionPolicy, ActionType, Budget, Period

ONE = Decimal("1")


@dataclass(frozen=True)
class Allowance:
    """One action type a person may take for one customer, and its limits right now."""

    action_type: ActionType
    policy: ActionPolicy
    used: Decimal  # of the period budget: money, or actions for types without an amount

    @property
    def per_action(self) -> Decimal | None:
        return self.policy.limit_per_action if self.action_type.has_amount else None

    @property
    def remaining(self) -> Decimal | None:
        limit = self.policy.limit_per_period
        if limit is None:
            return None
        # Quantized: SQLite hands back 100 where PostgreSQL hands back 100.00.
        return max(limit - self.used, Decimal("0")).quantize(Decimal("0.01"))

    def covers(self, amount: Decimal) -> bool:
        """Whether this amount needs nobody's approval (ignoring what others spend meanwhile)."""
        per_action, remaining = self.per_action, self.remaining
        if per_action is not None and amount > per_action:
            return False
        return remaining is None or units(self.action_type, amount) <= remaining


def units(action_type: ActionType, amount: Decimal) -> Decimal:
    """What one action uses of a period budget."""
    return amount if action_type.has_amount else ONE


def period_start(period: str, at: dt.datetime | None = None) -> dt.date:
    """First day of the calendar period holding `at`, in the company's time zone."""
    day = timezone.localdate(at or timezone.now())
    if period == Period.DAY:
        return day
    if period == Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period == Period.MONTH:
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def period_end(period: str, start: dt.date) -> dt.date:
    """First day of the next period."""
    if period == Period.DAY:
        return start + dt.timedelta(days=1)
    if period == Period.WEEK:
        return start + dt.timedelta(days=7)
    months = 1 if period == Period.MONTH else 3
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def _generosity(policy: ActionPolicy) -> tuple[bool, Decimal, bool, Decimal, int]:
    per_action, per_period = policy.limit_per_action, policy.limit_per_period
    return (
        per_action is None,
        per_action or Decimal("0"),
        per_period is None,
        per_period or Decimal("0"),
        -policy.pk,
    )


def _policies(action_type: ActionType | None = None) -> list[ActionPolicy]:
    """Active types' policies with their teams and tiers: three queries, however many."""
    policies = ActionPolicy.objects.filter(action_type__is_active=True).select_related(
        "action_type"
    )
    if action_type is not None:
        policies = policies.filter(action_type=action_type)
    return list(policies.prefetch_related("teams", "tiers"))


def _matches(policy: ActionPolicy, user: User, team_ids: set[int], tier_id: int | None) -> bool:
    tiers = {tier.pk for tier in policy.tiers.all()}
    if tiers and tier_id not in tiers:
        return False
    return user.role in policy.roles or bool(team_ids & {team.pk for team in policy.teams.all()})


def _governing(
    policies: Iterable[ActionPolicy], user: User, customer: Customer
) -> dict[int, ActionPolicy]:
    """The one policy per action type that governs this person for this customer."""
    if not user.is_staff_member:
        return {}
    team_ids = set(user.teams.values_list("pk", flat=True))
    return _best(policies, user, team_ids, customer.tier_id)


def _best(
    policies: Iterable[ActionPolicy], user: User, team_ids: set[int], tier_id: int | None
) -> dict[int, ActionPolicy]:
    best: dict[int, ActionPolicy] = {}
    for policy in policies:
        if not _matches(policy, user, team_ids, tier_id):
            continue
        current = best.get(policy.action_type_id)
        if current is None or _generosity(policy) > _generosity(current):
            best[policy.action_type_id] = policy
    return best


def _used(user: User, policies: Iterable[ActionPolicy]) -> dict[tuple[int, str, dt.date], Decimal]:
    starts = {period_start(policy.period) for policy in policies}
    rows = Budget.objects.filter(user=user, starts_on__in=starts).values_list(
        "action_type_id", "period", "starts_on", "used"
    )
    return {(type_id, period, starts_on): used for type_id, period, starts_on, used in rows}


def allowances(user: User, customer: Customer) -> list[Allowance]:
    """Every action type this person may take for this customer, by name."""
    governing = _governing(_policies(), user, customer)
    used = _used(user, governing.values())
    found = [
        Allowance(
            action_type=policy.action_type,
            policy=policy,
            used=used.get(
                (policy.action_type_id, policy.period, period_start(policy.period)), Decimal("0")
            ),
        )
        for policy in governing.values()
    ]
    return sorted(found, key=lambda allowance: allowance.action_type.name)


def allowance(user: User, customer: Customer, action_type: ActionType) -> Allowance | None:
    """This person's limits for one action type and customer; None if no policy lets them."""
    policy = _governing(_policies(action_type), user, customer).get(action_type.pk)
    if policy is None:
        return None
    used = _used(user, [policy]).get(
        (action_type.pk, policy.period, period_start(policy.period)), Decimal("0")
    )
    return Allowance(action_type=action_type, policy=policy, used=used)


def reserve(user: User, allowance: Allowance, amount: Decimal) -> Budget | None:
    """Take `amount` from this person's period budget, or None if it would pass the limit.

    One conditional UPDATE decides, so two takes at the same moment cannot both
    pass: on PostgreSQL the second waits for the first's row lock and re-checks the
    condition against the committed total; on SQLite the single writer orders them.
    """
    policy = allowance.policy
    budget, _ = Budget.objects.get_or_create(
        user=user,
        action_type=allowance.action_type,
        period=policy.period,
        starts_on=period_start(policy.period),
    )
    cost = units(allowance.action_type, amount)
    rows = Budget.objects.filter(pk=budget.pk)
    if policy.limit_per_period is not None:
        rows = rows.filter(used__lte=policy.limit_per_period - cost)
    return budget if rows.update(used=F("used") + cost) else None


def release(budget_id: int, action_type: ActionType, amount: Decimal) -> None:
    """Give back what an action used, when it did not happen after all."""
    Budget.objects.filter(pk=budget_id).update(used=F("used") - units(action_type, amount))


def may_decide(user: User, action_type: ActionType, customer: Customer, amount: Decimal) -> bool:
    """Admins decide any request; others when their own policy allows the amount in one go."""
    if user.is_active and user.role == Role.ADMIN:
        return True
    found = allowance(user, customer, action_type)
    per_action = found.per_action if found else None
    return found is not None and (per_action is None or amount <= per_action)


def decider(user: User) -> Callable[[ActionType, int | None, Decimal], bool]:
    """may_decide for many requests at once: the policies are read once, not per request."""
    is_admin = user.is_active and user.role == Role.ADMIN
    team_ids = set(user.teams.values_list("pk", flat=True)) if user.is_staff_member else set()
    policies = _policies() if user.is_staff_member else []

    def decides(action_type: ActionType, tier_id: int | None, amount: Decimal) -> bool:
        if is_admin:
            return True
        policy = _best(policies, user, team_ids, tier_id).get(action_type.pk)
        if policy is None:
            return False
        limit = policy.limit_per_action if action_type.has_amount else None
        return limit is None or amount <= limit

    return decides


def approvers(action_type: ActionType, customer: Customer, amount: Decimal) -> list[User]:
    """Who is asked: people whose policy allows the amount in one go, else the admins."""
    roles: set[str] = set()
    team_ids: set[int] = set()
    for policy in _policies(action_type):
        tiers = {tier.pk for tier in policy.tiers.all()}
        per_action = policy.limit_per_action if action_type.has_amount else None
        if (tiers and customer.tier_id not in tiers) or (
            per_action is not None and amount > per_action
        ):
            continue
        roles.update(policy.roles)
        team_ids.update(team.pk for team in policy.teams.all())
    staff = User.objects.filter(is_active=True, role__in=[r for r in roles if r != Role.CUSTOMER])
    people = list(staff) + list(
        User.objects.filter(is_active=True, teams__in=team_ids).exclude(role=Role.CUSTOMER)
    )
    if not people:
        people = list(User.objects.filter(is_active=True, role=Role.ADMIN))
    # Policies are ranked by their limit per action first, so whoever matches a policy
    # that allows the amount is governed by one that allows it too.
    return list({person.pk: person for person in people}.values())
