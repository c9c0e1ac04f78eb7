"""/desk/playbook/spending/: spending per person and team, beside what it achieved."""

import datetime as dt

from django.utils import timezone

from everydesk.customers.models import Order
from everydesk.playbook.actions import take_action
from everydesk.surveys.models import Survey, SurveyKind
from tests.playbook.conftest import refund_values


def _take(conversation, who, refund, amount):
    return take_action(
        conversation=conversation,
        actor=who,
        action_type=refund,
        amount=amount,
        values=refund_values(),
    )


def test_a_manager_sees_spending_retention_and_csat_per_person(
    client,
    manager,
    agent,
    employee,
    conversation,
    customer,
    refund,
    policies,
    django_assert_max_num_queries,
):
    _take(conversation, agent, refund, "30")
    _take(conversation, agent, refund, "15")
    _take(conversation, employee, refund, "10")
    Order.objects.create(
        number="A-1", customer=customer, placed_at=timezone.now() + dt.timedelta(minutes=1)
    )
    Survey.objects.create(
        kind=SurveyKind.CSAT, customer=customer, conversation=conversation, score=4
    )
    client.force_login(manager)

    with django_assert_max_num_queries(10):
        page = client.get("/desk/playbook/spending/?period=month").content.decode()

    rows = page.split("<tbody>")[1]
    alice = rows.split("<tr>")[1]
    assert "Alice" in alice and "<td>2</td>" in alice and "45.00" in alice and "4.0" in alice
    eve = rows.split("<tr>")[2]
    assert "Eve" in eve and "10.00" in eve


def test_by_team_groups_the_billing_teams_spending(
    client, manager, employee, conversation, refund, policies
):
    _take(conversation, employee, refund, "10")
    client.force_login(manager)
    page = client.get("/desk/playbook/spending/?period=week&group=team").content.decode()
    assert "<td>Billing</td>" in page


def test_an_agent_sees_only_their_own_spending(
    client, agent, employee, conversation, refund, policies
):
    _take(conversation, agent, refund, "30")
    _take(conversation, employee, refund, "10")
    client.force_login(agent)
    page = client.get("/desk/playbook/spending/?group=team").content.decode()
    assert "Alice" in page
    assert "Eve" not in page


def test_a_past_period_shows_nothing_from_this_one(
    client, manager, agent, conversation, refund, policies
):
    _take(conversation, agent, refund, "30")
    client.force_login(manager)
    page = client.get("/desk/playbook/spending/?period=day&start=2020-01-01").content.decode()
    assert "No actions were carried out in this period" in page


def test_a_bad_period_or_date_says_so(client, manager):
    client.force_login(manager)
    response = client.get("/desk/playbook/spending/?period=decade", follow=True)
    assert "Use a period of day, week, month, quarter" in response.content.decode()
    response = client.get("/desk/playbook/spending/?start=31/12/2026", follow=True)
    assert "Give the date as YYYY-MM-DD" in response.content.decode()
