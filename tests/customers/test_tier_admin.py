"""Tiers and their rules in the admin: saving a rule runs the rules over every customer."""

from decimal import Decimal

from django.urls import reverse

from everydesk.customers.models import Customer, Metric, TierRule


def tier_form(vip, **rule) -> dict:
    data = {
        "name": vip.name,
        "slug": vip.slug,
        "rank": vip.rank,
        "priority_boost": 10,
        "flags": '{"expedited_shipping": true}',
        "rules-TOTAL_FORMS": 1,
        "rules-INITIAL_FORMS": 0,
    }
    data.update({f"rules-0-{key}": value for key, value in rule.items()})
    return data


def test_adding_a_rule_inline_moves_the_customers_who_meet_it(
    client, admin, customer, other_customer, vip, django_capture_on_commit_callbacks
):
    Customer.objects.filter(pk=customer.pk).update(lifetime_value=Decimal("2500"), order_count=3)
    url = reverse("admin:customers_tier_change", args=[vip.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(admin)
        response = client.post(
            url, tier_form(vip, metric=Metric.LIFETIME_VALUE, threshold="2000", active="on")
        )
    assert response.status_code == 302
    vip.refresh_from_db()
    assert vip.flags == {"expedited_shipping": True}
    assert TierRule.objects.get().threshold == Decimal("2000")
    customer.refresh_from_db()
    other_customer.refresh_from_db()
    assert customer.tier == vip
    assert other_customer.tier is None


def test_orders_are_read_only_in_the_admin(client, admin):
    client.force_login(admin)
    assert client.get(reverse("admin:customers_order_changelist")).status_code == 200
    assert client.get(reverse("admin:customers_order_add")).status_code == 403
