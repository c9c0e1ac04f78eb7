"""Tiers and the benefits other systems act on (flags such as expedited shipping)."""

from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from everydesk.api.schemas.users import StaffSummary
from everydesk.customers.models import Tier


class TierRuleOut(Schema):
    metric: str = Field(description="`lifetime_value` or `order_count`.")
    threshold: Decimal
    description: str

    @staticmethod
    def resolve_description(rule: Any) -> str:
        return str(rule.describe())


class SlaTargetOut(Schema):
    name: str
    priority: int | None
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None


class TierBenefits(Schema):
    """What a tier gives its customers."""

    slug: str
    name: str
    priority_boost: int = Field(description="Points added to the priority of their conversations.")
    owner: StaffSummary | None = Field(description="The person who looks after these customers.")
    flags: dict[str, Any] = Field(
        description='Benefits for other systems, e.g. {"expedited_shipping": true}.'
    )

    @staticmethod
    def resolve_owner(tier: Tier) -> Any:
        return tier.owner if tier.owner_id else None


class TierOut(TierBenefits):
    rank: int = Field(description="Lower ranks are served first.")
    description: str
    rules: list[TierRuleOut] = Field(description="Active rules that put customers in this tier.")
    sla_policies: list[SlaTargetOut]

    @staticmethod
    def resolve_rules(tier: Tier) -> list[Any]:
        return [rule for rule in tier.rules.all() if rule.active]

    @staticmethod
    def resolve_sla_policies(tier: Tier) -> list[Any]:
        # Set by customers.profile.tiers_with_benefits, which reads them in one query.
        return getattr(tier, "sla_policies", [])


class TierPage(Schema):
    items: list[TierOut]
    next: str | None
