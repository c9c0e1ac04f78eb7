"""The follow-up list and page: owners, the whole desk, and who sees nothing."""

import re

import pytest

from everydesk.recovery.models import FollowUp


@pytest.fixture
def scheduled(conversation, employee, policy, solve):
    solve(conversation, employee)  # an employee on Billing solved it: they own the calls
    return FollowUp.objects.order_by("due_at")


def test_an_employee_lists_their_own_follow_ups(client, employee, scheduled):
    client.force_login(employee)
    page = client.get("/desk/follow-ups/").content.decode()
    for follow_up in scheduled:
        assert f"/desk/follow-ups/{follow_up.pk}/" in page


def test_an_employee_cannot_open_someone_elses_follow_up(client, employee, agent, scheduled):
    follow_up = scheduled.first()
    FollowUp.objects.filter(pk=follow_up.pk).update(owner=agent)
    client.force_login(employee)
    assert client.get(f"/desk/follow-ups/{follow_up.pk}/").status_code == 404
    assert (
        f"/desk/follow-ups/{follow_up.pk}/" not in client.get("/desk/follow-ups/").content.decode()
    )


def test_an_agent_sees_everyones_on_request(client, agent, scheduled):
    client.force_login(agent)
    mine = client.get("/desk/follow-ups/").content.decode()
    assert not any(f"/desk/follow-ups/{f.pk}/" in mine for f in scheduled)  # not the agent's
    page = client.get("/desk/follow-ups/?owner=all").content.decode()
    assert all(f"/desk/follow-ups/{f.pk}/" in page for f in scheduled)
    assert client.get(f"/desk/follow-ups/{scheduled.first().pk}/").status_code == 200


def test_a_customer_sees_no_follow_up(client, customer, scheduled):
    client.force_login(customer.user)
    assert client.get("/desk/follow-ups/").status_code == 404
    assert client.get(f"/desk/follow-ups/{scheduled.first().pk}/").status_code == 404


def test_the_page_shows_what_to_do(client, employee, scheduled):
    client.force_login(employee)
    page = client.get(f"/desk/follow-ups/{scheduled.first().pk}/").content.decode()
    assert "Ask whether the replacement arrived." in page
    assert "My parcel arrived broken" in page and 'action="/desk/follow-ups/' in page


def test_the_list_query_count_does_not_grow_with_rows(
    client, customer, agent, policy, solve, django_assert_max_num_queries
):
    from everydesk.conversations import actions
    from everydesk.conversations.models import Kind

    for n in range(6):
        complaint = actions.open_conversation(
            customer=customer, subject=f"Late {n}", body="Late again.", kind=Kind.COMPLAINT
        )
        solve(complaint, agent)
    client.force_login(agent)
    client.get("/desk/follow-ups/")
    # session, user, the rows with customer, owner and conversation joined
    with django_assert_max_num_queries(3):
        page = client.get("/desk/follow-ups/").content.decode()
    assert len(re.findall(r'href="/desk/follow-ups/\d+/"', page)) == 12
