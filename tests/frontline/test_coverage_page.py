"""Coverage for managers and admins: hours planned and served per person and
department this quarter, and who has not served yet; exact, in pinned queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from everydesk.accounts.models import Role
from everydesk.frontline import coverage
from everydesk.frontline.models import Shift
from everydesk.frontline.rules import Quarter


@pytest.fixture
def team(make_staff, rule):
    sales = make_staff(3, department="Sales")
    support = make_staff(2, department="Support")
    return sales, support


def _shift(user, starts_at, hours=2.0):
    return Shift.objects.create(
        user=user, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours)
    )


def test_hours_planned_and_served_are_exact_per_person_and_department(team):
    sales, support = team
    now = datetime(2031, 2, 15, 12, tzinfo=UTC)
    _shift(sales[0], datetime(2031, 1, 6, 9, tzinfo=UTC))  # served
    _shift(sales[0], datetime(2031, 3, 3, 9, tzinfo=UTC))  # planned only
    _shift(sales[1], datetime(2031, 2, 15, 11, tzinfo=UTC))  # on now: not served yet
    _shift(support[0], datetime(2031, 1, 7, 9, tzinfo=UTC), hours=1.5)
    _shift(support[0], datetime(2030, 12, 30, 9, tzinfo=UTC))  # last quarter
    _shift(support[1], datetime(2031, 4, 1, 9, tzinfo=UTC))  # next quarter

    figures = coverage.for_quarter(Quarter(2031, 1), now=now)

    people = {line.user.pk: (line.planned, line.served) for line in figures.people}
    assert people == {
        sales[0].pk: (4.0, 2.0),
        sales[1].pk: (2.0, 0.0),
        sales[2].pk: (0.0, 0.0),
        support[0].pk: (1.5, 1.5),
        support[1].pk: (0.0, 0.0),
    }
    departments = {d.name: (d.people, d.planned, d.served) for d in figures.departments}
    assert departments == {"Sales": (3, 6.0, 2.0), "Support": (2, 1.5, 1.5)}
    assert {line.user.pk for line in figures.not_served} == {
        sales[1].pk,
        sales[2].pk,
        support[1].pk,
    }


def test_only_people_an_active_rule_includes_are_counted(team, rule, make_staff):
    rule.departments = ["Support"]
    rule.save()

    figures = coverage.for_quarter(Quarter(2031, 1))

    assert {d.name for d in figures.departments} == {"Support"}
    assert len(figures.people) == 2


def test_managers_see_the_page_in_pinned_queries(
    client, manager, team, make_staff, django_assert_max_num_queries
):
    make_staff(40, department="Finance", role=Role.AGENT)
    quarter = Quarter.of(timezone.localdate())
    for person in team[0]:
        _shift(person, timezone.now() - timedelta(hours=3))
    client.force_login(manager)

    with django_assert_max_num_queries(8):
        response = client.get(f"/desk/shifts/coverage/?quarter={quarter}")

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Front-line coverage {quarter}" in page
    assert "Finance" in page and "Support" in page


def test_a_department_filter_lists_only_its_people(client, admin, team):
    client.force_login(admin)

    response = client.get("/desk/shifts/coverage/?quarter=2031Q1&department=Support")

    assert [line.user.department for line in response.context["people"]] == ["Support"] * 2


def test_agents_employees_and_customers_cannot_see_coverage(client, agent, employee, customer):
    for user in (agent, employee, customer.user):
        client.force_login(user)
        assert client.get("/desk/shifts/coverage/").status_code == 404


def test_a_malformed_quarter_is_a_404_not_a_crash(client, admin):
    client.force_login(admin)
    assert client.get("/desk/shifts/coverage/?quarter=2031Q9").status_code == 404
