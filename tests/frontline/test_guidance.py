"""Guidance beside a conversation for people on shift: suggested replies from similar
solved conversations, matching macros, the playbook and a how-to (frontline/guidance.py)."""

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Kind, Macro, Status
from everydesk.frontline import routing
from everydesk.listening import scorer, similar

pytestmark = pytest.mark.django_db

SOLUTION = "We refunded the duplicate payment; it shows on your card within 3 days."


@pytest.fixture(autouse=True)
def _fresh_index(settings):
    settings.LISTENING_NUDGE_SECONDS = 0
    similar.forget()
    yield
    similar.forget()


@pytest.fixture
def solved_before(agent, other_customer):
    """An agent solved a double charge for another customer, outside Eve's sight."""
    charged = actions.open_conversation(
        customer=other_customer,
        subject="Charged twice",
        body="I was charged twice for my order, please refund one payment.",
        kind=Kind.QUESTION,
    )
    scorer.score_pending()
    actions.add_reply(conversation=charged, author=agent, body=SOLUTION, status=Status.SOLVED)
    return charged


@pytest.fixture
def double_charge(employee, agent, customer, solved_before):
    """Eve's to answer: an agent handed it to her."""
    conversation = actions.open_conversation(
        customer=customer,
        subject="Double charge",
        body="My card was charged two times for order 1042. Can you refund the second one?",
        kind=Kind.QUESTION,
    )
    scorer.score_pending()
    return actions.assign(conversation=conversation, actor=agent, assignee=employee)


def panel(client, conversation) -> str:
    return client.get(reverse("desk:guidance", args=[conversation.pk])).content.decode()


def test_the_conversation_page_loads_guidance_for_employees_not_agents(
    signed_in, client, employee, agent, double_charge
):
    page = reverse("desk:conversation", args=[double_charge.pk])
    guidance_url = reverse("desk:guidance", args=[double_charge.pk])
    assert guidance_url in signed_in(employee).get(page).content.decode()
    client.force_login(agent)
    assert guidance_url not in client.get(page).content.decode()


def test_the_reply_that_solved_a_similar_case_is_suggested(
    signed_in, employee, double_charge, solved_before
):
    html = panel(signed_in(employee), double_charge)
    assert "We refunded the duplicate payment" in html
    assert "Use this reply" in html
    # The solved case belongs to a customer Eve may not open: its text helps, no link.
    assert reverse("desk:conversation", args=[solved_before.pk]) not in html
    assert "a similar case" in html


def test_using_a_suggestion_fills_the_reply_box_and_sends_nothing(
    signed_in, employee, double_charge, solved_before
):
    client = signed_in(employee)
    reply = solved_before.messages.get(body_text=SOLUTION)
    response = client.get(
        reverse("desk:guidance_use", args=[double_charge.pk]),
        {"reply": reply.pk, "body": "Hello Carol,"},
    )
    html = response.content.decode()
    assert 'id="reply-body"' in html
    assert "Hello Carol,\n\nWe refunded the duplicate payment" in html
    assert not double_charge.messages.filter(kind="reply").exists()


def test_only_suggested_replies_can_be_fetched(
    signed_in, employee, agent, double_charge, other_conversation
):
    hidden = actions.add_reply(conversation=other_conversation, author=agent, body="Private")
    response = signed_in(employee).get(
        reverse("desk:guidance_use", args=[double_charge.pk]), {"reply": hidden.pk}
    )
    assert response.status_code == 404


def test_macros_about_the_kind_or_tags_are_suggested(signed_in, employee, agent, double_charge):
    Macro.objects.create(
        name="Answer a question", body="Thanks for your question, {customer.first_name}."
    )
    Macro.objects.create(name="Shipping delay", body="Your parcel is late, sorry.")
    html = panel(signed_in(employee), double_charge)
    assert "Answer a question" in html
    assert "Shipping delay" not in html


def test_first_timers_see_the_how_to_open_and_a_pointer_to_the_playbook(
    signed_in, employee, on_shift, customer, asked, double_charge
):
    html = panel(signed_in(employee), double_charge)
    assert '<details class="howto" open>' in html
    assert 'href="#playbook"' in html
    on_shift(employee)
    asked(customer, "Do you ship abroad?")
    first = routing.take_next(user=employee)
    actions.add_reply(conversation=first, author=employee, body="Yes, to 30 countries.")
    assert '<details class="howto">' in panel(signed_in(employee), double_charge)


def test_guidance_follows_conversation_access(signed_in, customer, employee, double_charge):
    assert (
        signed_in(customer.user).get(reverse("desk:guidance", args=[double_charge.pk])).status_code
        == 404
    )
