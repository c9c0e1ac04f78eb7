"""What a customer's page and API record show beyond the stored row: first contact and
the whole history across doors."""

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, QuerySet, Subquery

from everydesk.accounts.models import User
from everydesk.conversations import access
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer, Tier
from everydesk.sla.models import SlaPolicy

HISTORY_PAGE = 25


def with_first_contact(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotate `first_contact_at`: when they first wrote through any door (or None)."""
    first = (
        Conversation.objects.filter(customer=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return customers.annotate(first_contact_at=Subquery(first))


def first_contact_at(customer: Customer) -> dt.datetime | None:
    if hasattr(customer, "first_contact_at"):
        return customer.first_contact_at  # type: ignore[no-any-return]
    found = customer.conversations.order_by("created_at").values_list("created_at", flat=True)
    return found.first()


def history(user: User, customer: Customer) -> QuerySet[Conversation]:
    """Every conversation of the customer this user may see, from every channel, newest
    first (conv_customer_recent serves it; the caller pages it)."""
    return (
        access.visible_conversations(user)
        .filter(customer=customer)
        .select_related("assignee", "team")
    )


def tiers_with_benefits() -> list[Tier]:
    """Every tier, best first, with owner, rules and SLA policies read in three queries."""
    tiers = list(Tier.objects.select_related("owner").prefetch_related("rules"))
    policies = defaultdict(list)
    for policy in SlaPolicy.objects.filter(tier__in=tiers).order_by("priority", "name"):
        policies[policy.tier_id].append(policy)
    for tier in tiers:
        tier.sla_policies = policies[tier.pk]  # type: ignore[attr-defined]
    return tiers
