"""The inbox sorts by the priority score within a band, shows the SLA badge and says why."""

import datetime as dt
import html as htmllib
import re

from django.urls import reverse

from everydesk.accounts.models import ApiToken
from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Status
from everydesk.sla import evaluation
from everydesk.sla.models import ConversationSla
from tests.sla.conftest import clock_of

INBOX = reverse("desk:inbox")
MINUTE = dt.timedelta(minutes=1)


def _subjects(html: str) -> list[str]:
    return [htmllib.unescape(s) for s in re.findall(r'href="/desk/c/\d+/">([^<]+)</a>', html)]


def test_a_higher_score_comes_first_within_the_same_band(
    signed_in, agent, customer, other_customer, vip, open_case
):
    vip.priority_boost = 20
    vip.save(update_fields=["priority_boost"])
    customer.tier = vip
    customer.save(update_fields=["tier"])
    open_case(other_customer, "Older, standard")
    open_case(customer, "Newer, VIP")
    response = signed_in(agent).get(INBOX, {"view": "open"})
    html = response.content.decode()
    assert _subjects(html) == ["Newer, VIP", "Older, standard"]
    assert "VIP <b>+20</b>" in html


def test_rows_show_due_soon_breached_and_paused(
    signed_in, agent, customer, around_the_clock, open_case
):
    soon = open_case(customer, "Due soon")
    late = open_case(customer, "Late")
    waiting = open_case(customer, "Waiting")
    actions.add_reply(conversation=waiting, author=agent, body="Which one?", status=Status.PENDING)
    ConversationSla.objects.filter(pk=late.pk).update(due_at=clock_of(soon).due_at - 20 * MINUTE)
    evaluation.run(clock_of(soon).due_at - 5 * MINUTE)
    html = signed_in(agent).get(INBOX, {"view": "open"}).content.decode()
    rows = dict(
        zip(_subjects(html), re.findall(r'<tr class="row">(.*?)</tr>', html, re.S), strict=True)
    )
    assert "SLA due soon" in rows["Due soon"]
    assert "SLA breached" in rows["Late"] and "SLA breached <b>+40</b>" in rows["Late"]
    assert "SLA paused" in rows["Waiting"]
    # The breach lifted it into the high band, above the others.
    assert _subjects(html)[0] == "Late"


def test_the_inbox_with_clocks_costs_a_pinned_number_of_queries(
    signed_in, agent, customer, around_the_clock, open_case, django_assert_max_num_queries
):
    for n in range(30):
        open_case(customer, f"Case {n}")
    evaluation.run(clock_of(open_case(customer, "Last")).due_at + MINUTE)
    client = signed_in(agent)
    # Session, user, teams, 3 counts, the page (clocks joined), its tags, moods, and the
    # follow-ups due (recovery).
    with django_assert_max_num_queries(10):
        response = client.get(INBOX, {"view": "open"})
    assert len(_subjects(response.content.decode())) == 31


def test_pages_follow_the_score_without_repeating_or_losing_a_row(
    signed_in, agent, customer, around_the_clock, open_case
):
    for n in range(60):
        case = open_case(customer, f"Case {n:02d}")
        Conversation.objects.filter(pk=case.pk).update(priority_score=n % 7)
    client = signed_in(agent)
    first = client.get(INBOX, {"view": "open"})
    seen = _subjects(first.content.decode())
    second = client.get(first.context["next_url"])
    seen += _subjects(second.content.decode())
    assert sorted(seen) == sorted(f"Case {n:02d}" for n in range(60))
    scores = [int(n[5:]) % 7 for n in seen]
    assert scores == sorted(scores, reverse=True)


def test_the_api_gives_staff_the_score_and_its_reasons_and_customers_nothing(
    around_the_clock, customer, agent, open_case, client
):
    case = open_case(customer)
    evaluation.run(clock_of(case).due_at + MINUTE)
    _, staff_token = ApiToken.issue(user=agent, name="t")
    _, customer_token = ApiToken.issue(user=customer.user, name="t")
    url = f"/api/v1/conversations/{case.pk}"
    staff = client.get(url, HTTP_AUTHORIZATION=f"Bearer {staff_token}").json()
    assert staff["priority_score"] >= 40
    assert "SLA breached +40" in staff["priority_reasons"]
    mine = client.get(url, HTTP_AUTHORIZATION=f"Bearer {customer_token}").json()
    assert (mine["priority_score"], mine["priority_reasons"]) == (None, [])
