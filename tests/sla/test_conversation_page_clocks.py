"""The conversation page shows each SLA clock and the parts of the priority score."""

import datetime as dt

from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.sla import evaluation
from tests.sla.conftest import clock_of


def test_the_page_shows_the_policy_each_deadline_and_why_it_ranks_so(
    signed_in, agent, customer, around_the_clock, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Looking into it.")
    evaluation.run(clock_of(case).due_at + dt.timedelta(days=2))
    html = signed_in(agent).get(reverse("desk:conversation", args=[case.pk])).content.decode()
    assert "Default · around the clock" in html
    assert "First response</dt><dd>met" in html
    assert "Resolution</dt><dd>due" in html
    assert "SLA breached <b>+40</b>" in html


def test_a_paused_clock_says_it_waits_on_the_customer(
    signed_in, agent, customer, around_the_clock, open_case
):
    case = open_case(customer)
    actions.add_reply(conversation=case, author=agent, body="Which size?", status=Status.PENDING)
    html = signed_in(agent).get(reverse("desk:conversation", args=[case.pk])).content.decode()
    assert "Paused while waiting on the customer" in html
    assert "SLA paused" in html


def test_without_a_policy_the_page_says_so(signed_in, agent, conversation):
    html = (
        signed_in(agent).get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    )
    assert "No SLA policy applies." in html
