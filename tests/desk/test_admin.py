from django.urls import reverse

from everydesk.conversations.models import Macro
from everydesk.customers.models import Customer, Tier


def test_admin_creates_a_macro(signed_in, admin):
    response = signed_in(admin).post(
        reverse("admin:conversations_macro_add"),
        {
            "name": "Thanks",
            "body": "Thanks {customer.first_name}! — {agent.name}",
            "set_status": "solved",
        },
    )
    assert response.status_code == 302
    assert Macro.objects.get(name="Thanks").set_status == "solved"


def test_macro_with_an_unknown_placeholder_is_rejected(signed_in, admin):
    response = signed_in(admin).post(
        reverse("admin:conversations_macro_add"),
        {"name": "Broken", "body": "Hi {customer.nickname}, see {order.total}", "set_status": ""},
    )
    assert response.status_code == 200
    assert "Unknown placeholder {customer.nickname}, {order.total}" in response.content.decode()
    assert not Macro.objects.exists()


def test_macro_form_lists_the_placeholders(signed_in, admin):
    html = signed_in(admin).get(reverse("admin:conversations_macro_add")).content.decode()
    assert "{customer.first_name}" in html


def test_admin_creates_a_tier(signed_in, admin):
    fields = {"name": "Gold", "slug": "gold", "rank": 5, "priority_boost": 0, "flags": "{}"}
    # The tier's rules are edited inline (customers/admin.py): none here.
    inline = {"rules-TOTAL_FORMS": 0, "rules-INITIAL_FORMS": 0}
    signed_in(admin).post(reverse("admin:customers_tier_add"), {**fields, **inline})
    assert Tier.objects.filter(slug="gold").exists()


def test_customer_email_is_stored_lower_cased(signed_in, admin):
    signed_in(admin).post(
        reverse("admin:customers_customer_add"), {"name": "Dan", "email": "Dan@Example.COM"}
    )
    assert Customer.objects.filter(email="dan@example.com").exists()


def test_conversations_are_view_only_in_the_admin(signed_in, admin, conversation):
    client = signed_in(admin)
    change = reverse("admin:conversations_conversation_change", args=[conversation.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:conversations_conversation_add")).status_code == 403
    client.post(change, {"subject": "Rewritten"})
    conversation.refresh_from_db()
    assert conversation.subject == "My parcel arrived broken"


def test_agent_cannot_use_the_admin(signed_in, agent):
    response = signed_in(agent).get(reverse("admin:conversations_macro_add"))
    assert response.status_code == 302


def test_nav_shows_admin_only_to_admins(signed_in, admin, agent, client):
    inbox = reverse("desk:inbox")
    assert 'href="/admin/"' in signed_in(admin).get(inbox).content.decode()
    client.logout()
    assert 'href="/admin/"' not in signed_in(agent).get(inbox).content.decode()


def test_a_customers_tier_is_read_only_in_the_admin(signed_in, admin, customer, vip):
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = {"name": "Carol", "email": customer.email, "phone": "", "tier": vip.pk}
    signed_in(admin).post(url, data)
    customer.refresh_from_db()
    assert customer.name == "Carol"
    assert customer.tier is None  # tiers change with a reason, on the desk page or by API
