import datetime as dt
import html as htmllib
import re

from django.urls import reverse
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind, Status
from everydesk.desk.views import search as search_view

SEARCH = reverse("desk:search")


def found(response) -> list[str]:
    subjects = re.findall(r'href="/desk/c/\d+/">([^<]+)</a>', response.content.decode())
    return [htmllib.unescape(s) for s in subjects]


def test_empty_search_shows_the_form_with_a_hint(signed_in, agent):
    response = signed_in(agent).get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and "Type a word to search for" in html


def test_blank_query_with_filters_shows_the_hint_not_an_error(signed_in, agent, conversation):
    response = signed_in(agent).get(SEARCH, {"q": "  ", "status": Status.NEW})
    assert response.status_code == 200
    assert "Type a word to search for" in response.content.decode()


def test_search_finds_words_in_messages(signed_in, agent, conversation, other_conversation):
    response = signed_in(agent).get(SEARCH, {"q": "lamp"})
    assert found(response) == ["My parcel arrived broken"]


def test_search_finds_words_in_internal_notes_for_staff(signed_in, agent, conversation):
    actions.add_note(conversation=conversation, author=agent, body="courier reference ZX81")
    assert found(signed_in(agent).get(SEARCH, {"q": "ZX81"})) == ["My parcel arrived broken"]


def test_results_come_newest_first(signed_in, agent, customer, open_for):
    for n in range(3):
        open_for(customer, f"Refund {n}", body="refund please")
    assert found(signed_in(agent).get(SEARCH, {"q": "refund"})) == [
        "Refund 2",
        "Refund 1",
        "Refund 0",
    ]


def test_more_results_continue_the_list(signed_in, agent, customer, open_for, monkeypatch):
    monkeypatch.setattr(search_view, "PAGE_SIZE", 2)
    for n in range(3):
        open_for(customer, f"Refund {n}", body="refund please")
    client = signed_in(agent)
    first = client.get(SEARCH, {"q": "refund", "kind": Kind.QUESTION})
    assert found(first) == ["Refund 2", "Refund 1"]
    more = first.context["more_url"]
    assert "kind=question" in more and "before=" in more
    second = client.get(more)
    assert found(second) == ["Refund 0"]
    assert second.context["more_url"] is None


def test_damaged_more_link_is_a_clear_400(signed_in, agent):
    response = signed_in(agent).get(SEARCH, {"q": "refund", "before": "abc"})
    assert response.status_code == 400
    assert "damaged" in response.content.decode()


def test_status_and_kind_filters_exclude_the_rest(signed_in, agent, customer, open_for):
    solved = open_for(customer, "Solved refund", body="refund", kind=Kind.COMPLAINT)
    actions.change_status(conversation=solved, actor=agent, status=Status.SOLVED)
    open_for(customer, "Open refund", body="refund", kind=Kind.COMPLAINT)
    open_for(customer, "Refund idea", body="refund", kind=Kind.IDEA)
    client = signed_in(agent)
    assert found(client.get(SEARCH, {"q": "refund", "status": Status.SOLVED})) == ["Solved refund"]
    assert found(client.get(SEARCH, {"q": "refund", "kind": Kind.IDEA})) == ["Refund idea"]


def test_tier_team_and_assignee_filters(
    signed_in, agent, employee, billing, vip, customer, other_customer, open_for
):
    customer.tier = vip
    customer.save(update_fields=["tier"])
    vip_case = open_for(customer, "VIP refund", body="refund")
    team_case = open_for(other_customer, "Billing refund", body="refund")
    open_for(other_customer, "Loose refund", body="refund")
    actions.set_team(conversation=team_case, actor=agent, team=billing)
    actions.assign(conversation=vip_case, actor=agent, assignee=employee)
    client = signed_in(agent)
    assert found(client.get(SEARCH, {"q": "refund", "tier": vip.pk})) == ["VIP refund"]
    assert found(client.get(SEARCH, {"q": "refund", "team": billing.pk})) == ["Billing refund"]
    assert found(client.get(SEARCH, {"q": "refund", "assignee": employee.pk})) == ["VIP refund"]
    assert found(client.get(SEARCH, {"q": "refund", "assignee": "unassigned"})) == [
        "Loose refund",
        "Billing refund",
    ]


def test_date_filters(signed_in, agent, customer, open_for):
    old = open_for(customer, "Old refund", body="refund")
    Conversation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    open_for(customer, "New refund", body="refund")
    since = (timezone.now() - dt.timedelta(days=7)).date().isoformat()
    until = (timezone.now() - dt.timedelta(days=30)).date().isoformat()
    client = signed_in(agent)
    assert found(client.get(SEARCH, {"q": "refund", "created_from": since})) == ["New refund"]
    assert found(client.get(SEARCH, {"q": "refund", "created_to": until})) == ["Old refund"]


def test_reversed_dates_are_explained(signed_in, agent):
    response = signed_in(agent).get(
        SEARCH, {"q": "x", "created_from": "2025-02-01", "created_to": "2025-01-01"}
    )
    assert "The “from” date is after the “to” date." in response.content.decode()
    assert response.context["results"] is None


def test_employee_finds_only_what_they_may_see(
    signed_in, employee, agent, billing, customer, other_customer, open_for
):
    visible = open_for(customer, "Team refund", body="refund")
    actions.set_team(conversation=visible, actor=agent, team=billing)
    open_for(other_customer, "Hidden refund", body="refund")
    assert found(signed_in(employee).get(SEARCH, {"q": "refund"})) == ["Team refund"]


def test_customer_cannot_search_the_desk(signed_in, customer, conversation):
    assert signed_in(customer.user).get(SEARCH, {"q": "lamp"}).status_code == 404


def test_nav_search_box_points_here(signed_in, agent):
    html = signed_in(agent).get(reverse("desk:inbox")).content.decode()
    assert f'action="{SEARCH}"' in html and 'name="q"' in html
