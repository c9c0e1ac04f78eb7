"""POST /desk/customers/<id>/tier/: a person moves a customer, with a reason, on the record."""

from django.urls import reverse

from everydesk.customers.models import CustomerEvent


def url(customer) -> str:
    return reverse("desk:customer_tier", args=[customer.pk])


def test_agent_makes_a_customer_vip_with_a_reason(signed_in, agent, customer, vip):
    response = signed_in(agent).post(url(customer), {"tier": vip.pk, "reason": "Lost parcel twice"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.tier == vip
    assert customer.tier_locked
    event = CustomerEvent.objects.get(customer=customer)
    assert event.actor == agent
    assert event.data == {"from": None, "to": "VIP", "reason": "Lost parcel twice"}


def test_a_change_without_a_reason_is_refused_and_nothing_changes(signed_in, agent, customer, vip):
    response = signed_in(agent).post(url(customer), {"tier": vip.pk, "reason": "  "})
    assert response.status_code == 400
    assert "Say why this customer changes tier." in response.content.decode()
    customer.refresh_from_db()
    assert customer.tier is None
    assert not CustomerEvent.objects.exists()


def test_employees_cannot_change_tiers_from_the_desk(
    signed_in, agent, employee, billing, customer, conversation, vip
):
    from everydesk.conversations import actions

    actions.set_team(conversation=conversation, actor=agent, team=billing)
    response = signed_in(employee).post(url(customer), {"tier": vip.pk, "reason": "Nice"})
    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.tier is None


def test_an_unknown_tier_is_a_form_error(signed_in, agent, customer):
    response = signed_in(agent).post(url(customer), {"tier": 999999, "reason": "x"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
