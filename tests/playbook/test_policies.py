"""Which policy governs a person, for which customer, and the calendar periods."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from everydesk.accounts.models import Role
from everydesk.playbook import policies as rules
from everydesk.playbook.models import ActionPolicy, Period


def test_the_most_generous_matching_policy_governs(employee, customer, refund, policies):
    # Eve matches the Billing policy (20 a time); an employee-role policy gives more.
    ActionPolicy.objects.create(
        action_type=refund,
        roles=[Role.EMPLOYEE],
        limit_per_action=Decimal("30"),
        limit_per_period=Decimal("10"),
    )
    found = rules.allowance(employee, customer, refund)
    assert found is not None
    assert (found.per_action, found.remaining) == (Decimal("30"), Decimal("10.00"))


def test_no_limit_beats_any_limit(agent, customer, refund, policies):
    ActionPolicy.objects.create(
        action_type=refund, roles=[Role.AGENT], limit_per_period=Decimal("5")
    )
    found = rules.allowance(agent, customer, refund)
    assert found is not None and found.per_action is None


def test_customers_and_unmatched_staff_get_nothing(admin, customer, refund, policies):
    assert rules.allowance(admin, customer, refund) is None
    assert rules.allowances(customer.user, customer) == []


def test_an_inactive_type_is_offered_to_nobody(agent, customer, refund, policies):
    refund.is_active = False
    refund.save(update_fields=["is_active"])
    assert rules.allowances(agent, customer) == []


def test_types_without_an_amount_count_actions(agent, customer, builtins):
    shipping = builtins["expedited-shipping"]
    ActionPolicy.objects.create(
        action_type=shipping, roles=[Role.AGENT], limit_per_period=Decimal("2"), period=Period.WEEK
    )
    found = rules.allowance(agent, customer, shipping)
    assert found is not None
    assert found.covers(Decimal("0"))
    assert rules.reserve(agent, found, Decimal("0")) is not None
    assert rules.reserve(agent, found, Decimal("0")) is not None
    assert rules.reserve(agent, found, Decimal("0")) is None


@pytest.mark.parametrize(
    ("period", "day", "start", "end"),
    [
        (Period.DAY, dt.date(2026, 3, 31), dt.date(2026, 3, 31), dt.date(2026, 4, 1)),
        (Period.WEEK, dt.date(2026, 12, 31), dt.date(2026, 12, 28), dt.date(2027, 1, 4)),
        (Period.MONTH, dt.date(2026, 12, 31), dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        (Period.QUARTER, dt.date(2026, 11, 15), dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        (Period.QUARTER, dt.date(2026, 2, 28), dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
    ],
)
def test_periods_are_calendar_periods(period, day, start, end):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    assert rules.period_start(period, at) == start
    assert rules.period_end(period, start) == end


def test_periods_follow_the_company_time_zone(settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    # 20:00 UTC on 31 March is already 1 April in Auckland: a new month there.
    at = dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.UTC)
    with timezone.override("Pacific/Auckland"):
        assert rules.period_start(Period.MONTH, at) == dt.date(2026, 4, 1)


def test_approvers_are_those_whose_policy_allows_the_amount_else_the_admins(
    agent, manager, employee, admin, customer, refund, policies
):
    assert set(rules.approvers(refund, customer, Decimal("45"))) == {agent, manager}
    assert set(rules.approvers(refund, customer, Decimal("15"))) == {agent, manager, employee}
    assert rules.approvers(refund, customer, Decimal("900")) == [admin]


def test_the_decider_agrees_with_may_decide(agent, manager, admin, customer, refund, policies):
    for person in (agent, manager, admin):
        decides = rules.decider(person)
        for amount in (Decimal("10"), Decimal("60"), Decimal("600")):
            assert decides(refund, customer.tier_id, amount) == rules.may_decide(
                person, refund, customer, amount
            )
