"""/desk/customers/<id>/: profile, figures, orders, history across doors, audit trail."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Channel, Conversation
from everydesk.customers import tiers
from everydesk.customers.models import Order
from everydesk.customers.orders import import_orders
from everydesk.customers.profile import HISTORY_PAGE


def page(customer) -> str:
    return reverse("desk:customer", args=[customer.pk])


def add_orders(customer, count: int) -> None:
    rows = [
        (
            n,
            {
                "number": f"A-{n}",
                "email": customer.email,
                "placed_at": f"2026-01-{n % 28 + 1:02d}",
                "amount": "10.25",
                "items": "LAMP x 2",
            },
        )
        for n in range(count)
    ]
    import_orders(rows)


def test_agent_sees_figures_orders_and_tier_with_its_benefits(
    signed_in, agent, manager, customer, conversation, vip
):
    vip.owner, vip.flags, vip.priority_boost = manager, {"expedited_shipping": True}, 15
    vip.save(update_fields=["owner", "flags", "priority_boost"])
    tiers.assign_tier(customer=customer, tier=vip, actor=agent, reason="Long-time buyer")
    add_orders(customer, 3)
    html = signed_in(agent).get(page(customer)).content.decode()
    assert "30.75 EUR" in html
    assert 'data-figure="order-count">3<' in html
    assert "A-2" in html and "LAMP \u00d7 2" in html
    assert "Long-time buyer" in html
    assert manager.display_name in html
    assert "expedited_shipping" in html
    assert conversation.subject in html
    assert "Changed tier" in html  # the audit trail


def test_history_shows_every_door_newest_first(signed_in, agent, customer, open_for):
    email = open_for(customer, subject="By email", channel=Channel.EMAIL)
    portal = open_for(customer, subject="On the portal", channel=Channel.PORTAL)
    Conversation.objects.filter(pk=email.pk).update(
        updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    html = signed_in(agent).get(page(customer)).content.decode()
    assert html.index("On the portal") < html.index("By email")
    assert "<td>Email</td>" in html and "<td>Customer portal</td>" in html
    assert f"#{portal.pk}" in html


def test_history_pages_go_back_in_time(signed_in, agent, customer, open_for):
    for n in range(HISTORY_PAGE + 3):
        open_for(customer, subject=f"Question number {n:03d}")
    client = signed_in(agent)
    first = client.get(page(customer))
    cursor = first.context["conversations"].next_cursor
    assert cursor
    older = client.get(page(customer), {"after": cursor})
    assert len(older.context["conversations"].items) == 3
    assert client.get(page(customer), {"after": "garbage"}).status_code == 404


def test_employee_sees_only_customers_of_their_conversations(
    signed_in, agent, employee, billing, customer, conversation
):
    client = signed_in(employee)
    assert client.get(page(customer)).status_code == 404
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    response = client.get(page(customer))
    assert response.status_code == 200
    assert "Change tier" not in response.content.decode()


def test_customers_and_strangers_cannot_open_the_page(signed_in, client, customer, other_customer):
    assert client.get(page(customer)).status_code == 302
    assert signed_in(customer.user).get(page(customer)).status_code == 404


def test_the_conversation_sidebar_links_to_the_customer_page(signed_in, agent, conversation):
    html = signed_in(agent).get(reverse("desk:conversation", args=[conversation.pk])).content
    assert page(conversation.customer).encode() in html


def test_the_page_takes_a_fixed_number_of_queries(
    signed_in, agent, customer, open_for, vip, django_assert_max_num_queries
):
    tiers.assign_tier(customer=customer, tier=vip, actor=agent, reason="Because")
    for n in range(10):
        open_for(customer, subject=f"Q{n}")
    add_orders(customer, 30)
    client = signed_in(agent)
    client.get(page(customer))
    with django_assert_max_num_queries(10):
        response = client.get(page(customer))
    assert response.status_code == 200
    assert len(response.context["orders"]) == 20
    assert Order.objects.filter(customer=customer).count() == 30
    customer.refresh_from_db()
    assert customer.lifetime_value == Decimal("307.50")
