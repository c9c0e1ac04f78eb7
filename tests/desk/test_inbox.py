import html as htmllib
import re

import pytest
from django.urls import reverse

from everydesk.accounts.models import Team
from everydesk.conversations import actions, queues
from everydesk.conversations.models import Priority, Status
from everydesk.desk.views import inbox as inbox_view

INBOX = reverse("desk:inbox")


def _subjects(html: str) -> list[str]:
    found = re.findall(r'href="/desk/c/\d+/">([^<]+)</a>', html)
    return [htmllib.unescape(subject) for subject in found]


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_customer_cannot_reach_the_desk(signed_in, customer, conversation):
    response = signed_in(customer.user).get(INBOX)
    assert response.status_code == 404


def test_agent_sees_open_conversations_with_counts(
    signed_in, agent, conversation, other_conversation
):
    response = signed_in(agent).get(INBOX)
    assert response.status_code == 200
    html = response.content.decode()
    # Nothing is assigned to Alice, so the inbox starts on "All open".
    assert response.context["current"] == "open"
    counts = {tab.key: tab.count for tab in response.context["tabs"]}
    assert counts == {"mine": 0, "unassigned": 2, "open": 2}
    assert "My parcel arrived broken" in html and "Private matter" in html
    assert "Carol Jones" in html


def test_inbox_starts_on_mine_when_something_is_assigned(
    signed_in, agent, conversation, other_conversation
):
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    response = signed_in(agent).get(INBOX)
    assert response.context["current"] == "mine"
    assert _subjects(response.content.decode()) == ["My parcel arrived broken"]


def test_rows_come_most_urgent_first_then_oldest_first(signed_in, agent, customer, open_for):
    open_for(customer, "Old normal")
    open_for(customer, "New urgent", priority=Priority.URGENT)
    open_for(customer, "New normal")
    open_for(customer, "Low", priority=Priority.LOW)
    response = signed_in(agent).get(INBOX, {"view": "open"})
    assert _subjects(response.content.decode()) == ["New urgent", "Old normal", "New normal", "Low"]


def test_solved_conversations_leave_the_inbox(signed_in, agent, conversation):
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    response = signed_in(agent).get(INBOX, {"view": "open"})
    assert _subjects(response.content.decode()) == []
    assert "Nothing waiting here" in response.content.decode()


def test_next_page_link_continues_where_the_page_ended(
    signed_in, agent, customer, open_for, monkeypatch
):
    monkeypatch.setattr(inbox_view, "PAGE_SIZE", 2)
    for n in range(5):
        open_for(customer, f"Case {n}")
    client = signed_in(agent)
    seen: list[str] = []
    url = f"{INBOX}?view=open"
    for _ in range(3):
        response = client.get(url)
        seen += _subjects(response.content.decode())
        url = response.context["next_url"]
        if url is None:
            break
    assert seen == [f"Case {n}" for n in range(5)]
    assert url is None


def test_damaged_page_link_gets_a_clear_400(signed_in, agent, conversation):
    response = signed_in(agent).get(INBOX, {"view": "open", "after": "not-a-cursor"})
    assert response.status_code == 400
    assert "out of date or damaged" in response.content.decode()


def test_unknown_view_is_not_found(signed_in, agent):
    assert signed_in(agent).get(INBOX, {"view": "everything"}).status_code == 404


def test_employee_sees_only_their_own_and_their_teams_conversations(
    signed_in, employee, agent, billing, customer, other_customer, open_for
):
    team_case = open_for(customer, "Billing team case")
    mine = open_for(customer, "Eve's own case")
    open_for(other_customer, "Nobody's business of Eve")
    actions.set_team(conversation=team_case, actor=agent, team=billing)
    actions.assign(conversation=mine, actor=agent, assignee=employee)
    response = signed_in(employee).get(INBOX, {"view": "open"})
    assert sorted(_subjects(response.content.decode())) == ["Billing team case", "Eve's own case"]
    counts = {tab.key: tab.count for tab in response.context["tabs"]}
    assert counts == {"mine": 1, "unassigned": 1, "open": 2, f"team-{billing.pk}": 1}


def test_employee_cannot_open_another_teams_view(signed_in, employee):
    shipping = Team.objects.create(name="Shipping")
    response = signed_in(employee).get(INBOX, {"view": f"team-{shipping.pk}"})
    assert response.status_code == 404


def test_team_view_lists_that_teams_conversations(
    signed_in, agent, billing, conversation, other_conversation
):
    actions.set_team(conversation=other_conversation, actor=agent, team=billing)
    response = signed_in(agent).get(INBOX, {"view": f"team-{billing.pk}"})
    assert _subjects(response.content.decode()) == ["Private matter"]


def test_htmx_refresh_returns_only_the_list(signed_in, agent, conversation):
    response = signed_in(agent).get(INBOX, {"view": "open"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-trigger="every 30s"' in html
    assert "My parcel arrived broken" in html
    assert "HX-Request" in response["Vary"]


def test_full_page_polls_itself_every_30_seconds(signed_in, agent, conversation):
    html = signed_in(agent).get(INBOX, {"view": "open"}).content.decode()
    assert "<html" in html
    assert 'hx-get="/desk/?view=open"' in html and 'hx-trigger="every 30s"' in html


def test_counts_past_the_cap_show_a_plus(signed_in, agent, customer, open_for, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    for n in range(3):
        open_for(customer, f"Case {n}")
    html = signed_in(agent).get(INBOX, {"view": "open"}).content.decode()
    assert '<span class="count">2+</span>' in html


def test_inbox_query_count_does_not_grow_with_rows(
    signed_in,
    agent,
    employee,
    billing,
    vip,
    customer,
    other_customer,
    open_for,
    django_assert_max_num_queries,
):
    customer.tier = vip
    customer.save(update_fields=["tier"])
    for n in range(32):
        case = open_for(customer if n % 2 else other_customer, f"Case {n}")
        actions.assign(conversation=case, actor=agent, assignee=agent if n % 3 else employee)
        actions.set_team(conversation=case, actor=agent, team=billing)
        actions.set_tags(conversation=case, actor=agent, names=["refund", f"t{n % 4}"])
    client = signed_in(agent)
    # Session, user, teams, 4 counts (3 fixed views + Billing), the page, its tags, moods,
    # and the follow-ups due (recovery).
    with django_assert_max_num_queries(11):
        response = client.get(INBOX, {"view": "open"})
    assert len(_subjects(response.content.decode())) == 32
    assert "VIP" in response.content.decode()


@pytest.mark.parametrize("role_fixture", ["admin", "agent", "employee"])
def test_every_staff_role_can_open_the_inbox(request, signed_in, role_fixture):
    user = request.getfixturevalue(role_fixture)
    assert signed_in(user).get(INBOX).status_code == 200


def test_htmx_poll_after_sign_out_moves_the_whole_page_to_sign_in(client):
    response = client.get(INBOX, {"view": "open"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_refresh_keeps_the_default_view_it_started_on(signed_in, agent, conversation):
    html = signed_in(agent).get(INBOX).content.decode()
    assert 'hx-get="/desk/?view=open"' in html
