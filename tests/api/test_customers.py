"""/customers: agents and admins manage profiles; a customer's token sees only itself."""

from everydesk.conversations import actions
from everydesk.customers.models import Customer, Organisation
from tests.api.conftest import error_of


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_agent_lists_every_customer_newest_first(api, agent, customer, other_customer):
    assert ids(api.get("/customers", agent)) == [other_customer.pk, customer.pk]


def test_customer_lists_only_themselves(api, customer, other_customer):
    assert ids(api.get("/customers", customer)) == [customer.pk]


def test_employee_lists_customers_of_conversations_they_see(
    api, agent, employee, billing, customer, other_customer, conversation
):
    assert ids(api.get("/customers", employee)) == []
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    assert ids(api.get("/customers", employee)) == [customer.pk]


def test_list_can_look_up_one_address(api, agent, customer, other_customer):
    assert ids(api.get("/customers", agent, email="Oscar@Example.com")) == [other_customer.pk]


def test_pages_walk_every_customer_once(api, agent):
    Customer.objects.bulk_create(Customer(email=f"c{n}@example.com") for n in range(25))
    seen, cursor = [], None
    while True:
        params = {"limit": 10, **({"after": cursor} if cursor else {})}
        body = api.get("/customers", agent, **params).json()
        seen += [item["id"] for item in body["items"]]
        if not (cursor := body["next"]):
            break
    assert sorted(seen) == sorted(Customer.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == 25


def test_customer_reads_their_profile_but_not_anothers(api, customer, other_customer):
    body = api.get(f"/customers/{customer.pk}", customer).json()
    assert (body["email"], body["name"], body["tier"]) == ("carol@example.com", "Carol Jones", None)
    response = api.get(f"/customers/{other_customer.pk}", customer)
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such customer."


def test_agent_adds_a_customer(api, agent, vip):
    org = Organisation.objects.create(name="Acme")
    response = api.post(
        "/customers",
        agent,
        {"email": "Dana@Example.com", "name": "Dana", "tier": "vip", "organisation_id": org.pk},
    )
    assert response.status_code == 201, response.content
    customer = Customer.objects.get(email="dana@example.com")
    assert (customer.tier, customer.organisation) == (vip, org)
    assert response.json()["organisation"] == {"id": org.pk, "name": "Acme"}


def test_adding_an_existing_address_is_a_conflict(api, admin, customer):
    response = api.post("/customers", admin, {"email": "carol@example.com"})
    assert response.status_code == 409
    assert error_of(response)["details"][0]["field"] == "email"


def test_employees_and_customers_cannot_add_customers(api, employee, customer):
    for who in (employee, customer):
        assert api.post("/customers", who, {"email": "new@example.com"}).status_code == 403
    assert not Customer.objects.filter(email="new@example.com").exists()


def test_patch_changes_only_the_fields_sent(api, agent, vip, customer):
    customer.phone = "+44 1"
    customer.save(update_fields=["phone"])
    change = {"name": "Carol J.", "tier": "vip", "tier_reason": "Loyal"}
    response = api.patch(f"/customers/{customer.pk}", agent, change)
    assert response.status_code == 200
    assert response.json()["tier"] == "vip"
    customer.refresh_from_db()
    assert (customer.name, customer.tier, customer.phone) == ("Carol J.", vip, "+44 1")
    api.patch(f"/customers/{customer.pk}", agent, {"tier": None, "tier_reason": "Left"})
    customer.refresh_from_db()
    assert customer.tier is None


def test_a_tier_changed_by_api_is_on_the_audit_trail_and_holds_against_rules(
    api, agent, vip, customer
):
    from everydesk.customers.models import CustomerEvent

    api.patch(f"/customers/{customer.pk}", agent, {"tier": "vip", "tier_reason": "Press"})
    customer.refresh_from_db()
    assert customer.tier_locked
    event = CustomerEvent.objects.get(customer=customer)
    assert (event.actor, event.data["reason"]) == (agent, "Press")


def test_a_tier_change_without_a_reason_changes_nothing(api, agent, vip, customer):
    response = api.patch(f"/customers/{customer.pk}", agent, {"name": "New", "tier": "vip"})
    assert response.status_code == 400
    assert error_of(response)["details"] == [
        {"field": "tier_reason", "message": "Say why this customer changes tier."}
    ]
    customer.refresh_from_db()
    assert (customer.name, customer.tier) == ("Carol Jones", None)


def test_patch_with_an_unknown_tier_is_refused(api, agent, customer):
    response = api.patch(f"/customers/{customer.pk}", agent, {"tier": "gold", "tier_reason": "x"})
    assert response.status_code == 400
    assert error_of(response)["details"] == [
        {"field": "tier", "message": "There is no tier 'gold'."}
    ]


def test_customer_cannot_change_their_profile_or_anothers(api, customer, other_customer):
    assert api.patch(f"/customers/{customer.pk}", customer, {"name": "X"}).status_code == 403
    assert api.patch(f"/customers/{other_customer.pk}", customer, {"name": "X"}).status_code == 404
    assert Customer.objects.filter(name="X").count() == 0


def test_patch_refuses_null_for_the_name(api, agent, customer):
    response = api.patch(f"/customers/{customer.pk}", agent, {"name": None})
    assert response.status_code == 422
    customer.refresh_from_db()
    assert customer.name == "Carol Jones"


def test_a_customer_record_shows_figures_first_contact_and_tier_benefits(
    api, agent, manager, customer, conversation, vip
):
    from everydesk.customers import tiers

    vip.owner, vip.flags = manager, {"expedited_shipping": True}
    vip.save(update_fields=["owner", "flags"])
    tiers.assign_tier(customer=customer, tier=vip, actor=agent, reason="Press contact")
    order = {"number": "W-1", "email": customer.email, "placed_at": "2026-03-01", "amount": "50"}
    api.post("/orders", agent, order)
    body = api.get(f"/customers/{customer.pk}", agent).json()
    assert body["lifetime_value"] == "50.00"
    assert body["currency"] == "EUR"
    assert body["order_count"] == 1
    assert body["last_order_at"].startswith("2026-03-01T00:00:00")
    assert body["first_contact_at"] is not None
    assert body["tier"] == "vip"
    assert body["tier_locked"] is True
    assert body["tier_reason"] == "Press contact"
    benefits = body["tier_benefits"]
    assert benefits["flags"] == {"expedited_shipping": True}
    assert benefits["owner"]["id"] == manager.pk


def test_listing_customers_with_figures_takes_a_fixed_number_of_queries(
    api, agent, vip, django_assert_max_num_queries
):
    vip.owner = agent
    vip.save(update_fields=["owner"])
    Customer.objects.bulk_create(Customer(email=f"c{n}@example.com", tier=vip) for n in range(20))
    api.get("/customers", agent)
    with django_assert_max_num_queries(3):
        items = api.get("/customers", agent).json()["items"]
    assert len(items) == 20
    assert all(item["first_contact_at"] is None for item in items)
