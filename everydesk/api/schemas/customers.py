"""Customer profiles: the full record, the summary shown on a conversation, and writes."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from everydesk.api.schemas.pagination import PageQuery
from everydesk.api.schemas.patch import not_null
from everydesk.api.schemas.tiers import TierBenefits
from everydesk.customers import profile
from everydesk.customers.models import Customer


def _tier_slug(customer: Customer) -> str | None:
    # tier_id first: an untiered customer costs no query.
    return customer.tier.slug if customer.tier_id and customer.tier else None


class OrganisationOut(Schema):
    id: int
    name: str


class CustomerSummary(Schema):
    id: int
    email: str
    name: str
    tier: str | None = Field(description="Slug of the customer's tier, e.g. `vip`.")

    @staticmethod
    def resolve_tier(customer: Customer) -> str | None:
        return _tier_slug(customer)


class CustomerOut(CustomerSummary):
    phone: str
    organisation: OrganisationOut | None
    created_at: dt.datetime
    lifetime_value: Decimal = Field(description="Sum of their orders, in `currency`.")
    currency: str = Field(description="The installation's currency (EVERYDESK_CURRENCY).")
    order_count: int
    last_order_at: dt.datetime | None
    first_contact_at: dt.datetime | None = Field(
        description="When they first wrote in, through any door."
    )
    tier_benefits: TierBenefits | None
    tier_locked: bool = Field(description="A person chose the tier; rules leave it alone.")
    tier_reason: str

    @staticmethod
    def resolve_currency(customer: Customer) -> str:
        return str(settings.CURRENCY)

    @staticmethod
    def resolve_first_contact_at(customer: Customer) -> dt.datetime | None:
        return profile.first_contact_at(customer)

    @staticmethod
    def resolve_tier_benefits(customer: Customer) -> object:
        return customer.tier if customer.tier_id else None


class CustomerPage(Schema):
    items: list[CustomerOut]
    next: str | None


class CustomerListQuery(PageQuery):
    email: str | None = Field(None, description="Only the customer with this address.")


class CustomerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=50)
    tier: str | None = Field(None, description="Tier slug, e.g. `vip`.")
    organisation_id: int | None = None


class CustomerPatch(Schema):
    """Only the fields sent are changed; send null to clear tier or organisation."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=50)
    tier: str | None = Field(
        None, description="Tier slug, or null for none; needs `tier_reason`. Rules then leave it."
    )
    tier_reason: str | None = Field(
        None, max_length=255, description="Why the tier changes (kept in the audit trail)."
    )
    organisation_id: int | None = None

    @field_validator("name", "phone")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        return not_null(value)
