"""/tiers: the tiers and benefits other systems act on, for staff tokens."""

from decimal import Decimal

from everydesk.customers.models import Metric, Tier, TierRule
from everydesk.sla.models import SlaPolicy
from tests.api.conftest import error_of


def test_staff_read_every_tier_with_its_benefits_rules_and_sla(api, agent, manager, vip):
    vip.priority_boost, vip.owner, vip.flags = 20, manager, {"expedited_shipping": True}
    vip.save(update_fields=["priority_boost", "owner", "flags"])
    Tier.objects.create(name="Standard", slug="standard", rank=100)
    TierRule.objects.create(tier=vip, metric=Metric.LIFETIME_VALUE, threshold=Decimal("1000"))
    TierRule.objects.create(tier=vip, metric=Metric.ORDER_COUNT, threshold=9, active=False)
    SlaPolicy.objects.create(name="VIP", tier=vip, first_response_minutes=60)
    response = api.get("/tiers", agent)
    assert response.status_code == 200, response.content
    first, second = response.json()["items"]
    assert (first["slug"], second["slug"]) == ("vip", "standard")
    assert first["priority_boost"] == 20
    assert first["flags"] == {"expedited_shipping": True}
    assert first["owner"] == {"id": manager.pk, "name": manager.display_name}
    assert [r["metric"] for r in first["rules"]] == ["lifetime_value"]
    assert first["rules"][0]["description"] == "lifetime value at least 1000.00 EUR"
    assert first["sla_policies"][0]["first_response_minutes"] == 60
    assert second["owner"] is None


def test_customers_cannot_list_tiers(api, customer, vip):
    response = api.get("/tiers", customer)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_listing_tiers_takes_a_fixed_number_of_queries(
    api, agent, vip, django_assert_max_num_queries
):
    for n in range(5):
        tier = Tier.objects.create(name=f"T{n}", slug=f"t{n}", rank=n, owner=agent)
        TierRule.objects.create(tier=tier, metric=Metric.ORDER_COUNT, threshold=n)
    api.get("/tiers", agent)
    with django_assert_max_num_queries(4):
        assert len(api.get("/tiers", agent).json()["items"]) == 6
