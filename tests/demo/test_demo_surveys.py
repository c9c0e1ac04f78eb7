"""The demo's survey answers: part of the solved conversations rated, a few NPS, and
the lowest recent answers closing the loop, owned by the agent who solved them."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.demo import surveys as demo_surveys
from everydesk.surveys.models import Survey, SurveyKind


@pytest.fixture
def solved_many(customer, other_customer, agent):
    made = []
    for i in range(40):
        who = customer if i % 2 else other_customer
        conversation = actions.open_conversation(customer=who, subject=f"Order {i}", body="Help")
        actions.assign(conversation=conversation, actor=agent, assignee=agent)
        actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
        made.append(conversation)
    Survey.objects.all().delete()  # the CSAT the solves asked for: the demo writes its own
    return made


def test_demo_rates_part_of_the_solved_and_closes_the_loop(solved_many, customer, agent, settings):
    settings.CSAT_RECOVERY_AT = 5  # every answer is low, so some recoveries are certain
    count = demo_surveys.answer_some(seed=3, skip_customers=(customer.pk,))
    assert count == Survey.objects.count() > 0
    csat = Survey.objects.filter(kind=SurveyKind.CSAT)
    assert csat.count() == 6  # 30 % of the 20 solved that are not the portal customer's
    assert not Survey.objects.filter(customer=customer).exists()
    assert all(s.answered_at >= s.sent_at and 1 <= s.score <= 5 for s in csat)
    assert Survey.objects.filter(kind=SurveyKind.NPS).exists()
    recoveries = Survey.objects.filter(recovery__isnull=False)
    assert 0 < recoveries.count() <= demo_surveys.MAX_RECOVERIES
    assert all(s.recovery.assignee == agent for s in recoveries.filter(kind=SurveyKind.CSAT))
