"""Moving customers between tiers, by a person or by a rule, always on the record."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction

from everydesk.accounts.models import WHOLE_DESK_ROLES, User
from everydesk.customers.models import Customer, CustomerEvent, CustomerEventType, Tier, TierRule
from everydesk.lib.batches import batched
from everydesk.lib.errors import ActionError

# Customers per transaction when the rules run over everyone: short locks on SQLite.
RULE_CHUNK = 1000


def can_change_tier(user: User) -> bool:
    """Agents, managers and admins move customers between tiers from the desk; other
    staff do it through the playbook's "tier upgrade", within its limits."""
    return user.is_active and user.role in WHOLE_DESK_ROLES


@transaction.atomic
def assign_tier(
    *, customer: Customer, tier: Tier | None, actor: User | None, reason: str
) -> Customer:
    """A person (actor) or a rule (actor None) puts a customer in a tier.

    A person must say why, and their choice holds against the rules until a person
    changes it again; a rule never overrides a person.
    """
    reason = reason.strip()
    if actor is not None and not reason:
        raise ActionError("Say why this customer changes tier.", field="reason")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if actor is None and customer.tier_locked:
        return customer
    old = customer.tier
    customer.tier = tier
    customer.tier_locked = actor is not None
    customer.tier_reason = reason[:255]
    customer.save(update_fields=["tier", "tier_locked", "tier_reason"])
    if old != tier:
        CustomerEvent.objects.create(
            customer=customer,
            type=CustomerEventType.TIER_CHANGED,
            actor=actor,
            data={
                "from": old.name if old else None,
                "to": tier.name if tier else None,
                "reason": customer.tier_reason,
            },
        )
    return customer


def best_rule(
    rules: Sequence[TierRule], *, lifetime_value: Decimal, order_count: int
) -> TierRule | None:
    """The first rule met, rules ordered best tier first (TierRule.Meta.ordering)."""
    for rule in rules:
        if rule.met_by(lifetime_value=lifetime_value, order_count=order_count):
            return rule
    return None


def apply_rules(*, customer_ids: Iterable[int] | None = None) -> int:
    """Move customers (all, or those given) into the best tier their figures earn.

    A customer whose tier a person chose is left alone; one who meets no rule keeps
    their tier (a rule with threshold 0 for the base tier makes rules demote too).
    Returns how many customers changed tier.
    """
    rules = list(TierRule.objects.filter(active=True).select_related("tier"))
    if not rules:
        return 0
    if customer_ids is None:
        ids = list(Customer.objects.filter(tier_locked=False).values_list("pk", flat=True))
    else:
        ids = sorted(customer_ids)
    names = dict(Tier.objects.values_list("pk", "name"))
    return sum(_apply_to_chunk(rules, chunk, names) for chunk in batched(ids, RULE_CHUNK))


@transaction.atomic
def _apply_to_chunk(rules: Sequence[TierRule], ids: Sequence[int], names: dict[int, str]) -> int:
    # Locked rows, so a person's choice made meanwhile is not overwritten by a rule.
    rows = (
        Customer.objects.select_for_update()
        .filter(pk__in=ids, tier_locked=False)
        .values_list("pk", "tier_id", "lifetime_value", "order_count")
    )
    moves: dict[TierRule, list[tuple[int, int | None]]] = defaultdict(list)
    for pk, tier_id, value, count in rows:
        rule = best_rule(rules, lifetime_value=value, order_count=count)
        if rule is not None and rule.tier_id != tier_id:
            moves[rule].append((pk, tier_id))
    for rule, moved in moves.items():
        _move(rule, moved, names)
    return sum(len(moved) for moved in moves.values())


def _move(rule: TierRule, moved: list[tuple[int, int | None]], names: dict[int, str]) -> None:
    reason = f"Rule: {rule.describe()}"
    Customer.objects.filter(pk__in=[pk for pk, _ in moved]).update(
        tier=rule.tier, tier_reason=reason
    )
    CustomerEvent.objects.bulk_create(
        CustomerEvent(
            customer_id=pk,
            type=CustomerEventType.TIER_CHANGED,
            data={
                "from": names.get(old) if old else None,
                "to": rule.tier.name,
                "reason": reason,
                "rule": rule.pk,
            },
        )
        for pk, old in moved
    )
