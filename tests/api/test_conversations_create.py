"""POST /conversations: staff open one for any customer, a customer only for themselves."""

from django.core import mail

from everydesk.conversations.models import Channel, Conversation, Event, EventType
from everydesk.customers.models import Customer
from everydesk.sla import policies
from tests.api.conftest import error_of

NEW = {"subject": "Wrong size", "body": "The shoes are a size too small.", "kind": "complaint"}


def test_staff_open_a_conversation_for_a_new_customer(api, agent, billing):
    response = api.post(
        "/conversations",
        agent,
        {
            **NEW,
            "customer_email": " Dana@Example.com ",
            "customer_name": "Dana Smith",
            "priority": 2,
            "team_id": billing.pk,
        },
    )
    assert response.status_code == 201, response.content
    conversation = Conversation.objects.get(pk=response.json()["id"])
    assert conversation.customer == Customer.objects.get(
        email="dana@example.com", name="Dana Smith"
    )
    assert (conversation.channel, conversation.priority, conversation.team) == (
        Channel.API,
        2,
        billing,
    )
    assert conversation.messages.get().body_text == NEW["body"]
    assert Event.objects.get(conversation=conversation, type=EventType.OPENED).actor == agent
    body = response.json()
    assert (body["subject"], body["kind"], body["status"], body["tags"]) == (
        "Wrong size",
        "complaint",
        "new",
        [],
    )
    assert body["team"] == {"id": billing.pk, "name": "Billing"}


def test_staff_reuse_the_existing_customer(api, employee, customer):
    response = api.post("/conversations", employee, {**NEW, "customer_email": customer.email})
    assert response.json()["customer"]["id"] == customer.pk
    assert Customer.objects.count() == 1


def test_html_is_sanitised(api, agent):
    api.post(
        "/conversations",
        agent,
        {**NEW, "customer_email": "dana@example.com", "html": "<p>Hi<script>alert(1)</script></p>"},
    )
    html = Conversation.objects.get().messages.get().body_html
    assert "<p>Hi" in html and "script" not in html


def test_staff_must_name_the_customer(api, agent):
    response = api.post("/conversations", agent, NEW)
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "customer_email"
    assert not Conversation.objects.exists()


def test_invalid_email_is_refused_on_the_customer_email_field(api, agent):
    response = api.post("/conversations", agent, {**NEW, "customer_email": "not an address"})
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "customer_email"


def test_unknown_team_is_refused(api, agent):
    response = api.post(
        "/conversations", agent, {**NEW, "customer_email": "d@example.com", "team_id": 9999}
    )
    assert response.status_code == 400
    assert error_of(response)["details"] == [
        {"field": "team_id", "message": "There is no team 9999."}
    ]
    assert not Conversation.objects.exists()


def test_bad_kind_and_priority_are_422(api, agent):
    response = api.post(
        "/conversations",
        agent,
        {**NEW, "customer_email": "d@example.com", "kind": "rant", "priority": 9},
    )
    assert response.status_code == 422
    assert {d["field"] for d in error_of(response)["details"]} == {"kind", "priority"}


def test_customer_opens_one_for_themselves(api, customer):
    response = api.post("/conversations", customer, NEW)
    assert response.status_code == 201
    conversation = Conversation.objects.get()
    assert conversation.customer == customer
    assert conversation.messages.get().author_customer == customer


def test_customer_may_repeat_their_own_address(api, customer):
    response = api.post("/conversations", customer, {**NEW, "customer_email": "CAROL@example.com"})
    assert response.status_code == 201


def test_customer_cannot_open_one_for_someone_else(api, customer, other_customer):
    response = api.post("/conversations", customer, {**NEW, "customer_email": other_customer.email})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert not Conversation.objects.exists()


def test_customer_cannot_set_priority_or_team(api, customer, billing):
    for extra in ({"priority": 1}, {"team_id": billing.pk}):
        assert api.post("/conversations", customer, {**NEW, **extra}).status_code == 403
    assert not Conversation.objects.exists()


def test_opening_is_a_pinned_number_of_queries(api, agent, customer, django_assert_max_num_queries):
    api.get("/me", agent)  # records the token's first use, a write outside the pin
    policies.current()  # each process reads the SLA policies once, not per request
    # token; customer; savepoint; conversation; message; its listening voice; event;
    # its SLA clock; release; and the search document: 3 statements on SQLite, 2 on
    # PostgreSQL.
    with django_assert_max_num_queries(12):
        response = api.post("/conversations", agent, {**NEW, "customer_email": customer.email})
    assert response.status_code == 201


def test_opening_sends_no_mail_of_its_own(api, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/conversations", agent, {**NEW, "customer_email": "d@example.com"})
    assert mail.outbox == []


def test_unknown_team_creates_no_customer_either(api, agent):
    api.post("/conversations", agent, {**NEW, "customer_email": "new@example.com", "team_id": 9})
    assert not Customer.objects.filter(email="new@example.com").exists()


def test_an_existing_customer_is_reused_and_a_missing_name_filled(api, agent):
    known = Customer.objects.create(email="erin@example.com")
    named = Customer.objects.create(email="finn@example.com", name="Finn Original")

    for email, name in [("ERIN@example.com", "Erin Lee"), ("finn@example.com", "Someone Else")]:
        response = api.post(
            "/conversations", agent, {**NEW, "customer_email": email, "customer_name": name}
        )
        assert response.status_code == 201, response.content

    assert Customer.objects.count() == 2
    known.refresh_from_db()
    named.refresh_from_db()
    assert known.name == "Erin Lee"  # a blank name is filled
    assert named.name == "Finn Original"  # a name already there is kept
    assert set(Conversation.objects.values_list("customer__email", flat=True)) == {
        "erin@example.com",
        "finn@example.com",
    }
