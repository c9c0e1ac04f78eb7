"""An agent opens the "why here" of an inbox row and sees the breached SLA, in a real browser."""

import datetime as dt

from everydesk.conversations import actions
from everydesk.conversations.models import Kind
from everydesk.sla import evaluation
from everydesk.sla.models import ConversationSla, SlaPolicy


def test_agent_sees_the_breach_badge_and_the_reasons_behind_the_rank(
    page, sign_in_staff, agent, customer
):
    SlaPolicy.objects.create(name="Default", first_response_minutes=60, resolution_minutes=600)
    calm = actions.open_conversation(
        customer=customer, subject="Calm question", body="When?", kind=Kind.QUESTION
    )
    late = actions.open_conversation(
        customer=customer, subject="Late answer", body="Hello?", kind=Kind.COMPLAINT
    )
    ConversationSla.objects.filter(pk=late.pk).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    )
    evaluation.run(dt.datetime.now(dt.UTC))

    sign_in_staff(page, agent)
    page.click("text=All open")
    rows = page.locator("tr.row")
    assert rows.nth(0).locator("td.subject a").inner_text() == "Late answer"
    assert rows.nth(1).locator("td.subject a").inner_text() == calm.subject
    first = rows.nth(0)
    assert first.locator(".sla-breached").inner_text() == "SLA breached"
    assert not first.locator("text=SLA breached +40").is_visible()
    first.locator("details.why summary").click()
    assert (
        first.locator("details.why li", has_text="SLA breached").inner_text() == "SLA breached +40"
    )
