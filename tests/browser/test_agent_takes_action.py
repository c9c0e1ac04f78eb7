"""An agent takes a refund from the conversation's "What you can do" panel, in a real browser."""

from decimal import Decimal

from everydesk.accounts.models import Role
from everydesk.conversations.models import MessageKind
from everydesk.playbook.builtins import install_builtins
from everydesk.playbook.models import ActionPolicy, ActionStatus, TakenAction


def test_agent_refunds_within_the_limit_with_a_message(page, sign_in_staff, agent, conversation):
    refund = next(t for t in install_builtins() if t.slug == "refund")
    ActionPolicy.objects.create(
        action_type=refund,
        roles=[Role.AGENT],
        limit_per_action=Decimal("50"),
        limit_per_period=Decimal("200"),
    )
    sign_in_staff(page, agent)
    page.goto(f"/desk/c/{conversation.pk}/")

    panel = page.locator("section.playbook")
    panel.locator("text=up to 50.00 each; 200.00 left this month").wait_for()
    panel.locator("a:has-text('Refund')").click()
    panel.locator("text=Above it, this is sent for approval").wait_for()
    panel.locator("input[name=amount]").fill("35")
    panel.locator("input[name=f_order]").fill("1042")
    panel.locator("input[name=f_reason]").fill("Lamp arrived cracked")
    panel.locator("textarea[name=message]").fill(
        "Carol, 35 EUR are on their way back to your card."
    )
    panel.locator("button:has-text('Take this action')").click()

    page.wait_for_selector("text=Refund of 35.00 EUR done.")
    assert page.locator(".thread >> text=35 EUR are on their way back to your card").count() >= 1
    assert page.locator("text=Alice took Refund of 35.00 EUR").is_visible()
    page.locator("section.playbook >> text=165.00 left this month").wait_for()
    action = TakenAction.objects.get()
    assert (action.status, action.amount, action.actor) == (ActionStatus.DONE, Decimal("35"), agent)
    reply = conversation.messages.get(kind=MessageKind.REPLY)
    assert reply.body_text == "Carol, 35 EUR are on their way back to your card."
