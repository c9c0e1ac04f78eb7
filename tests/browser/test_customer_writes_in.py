"""A customer signs in with an emailed link, writes in through the portal, and the
agent finds it in the inbox — the whole loop in a real browser."""

import re

from django.core import mail

from everydesk.conversations.models import Conversation, Kind


def _link_from_last_mail() -> str:
    match = re.search(r"https?://\S+/portal/login/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_customer_submits_through_the_portal_and_the_agent_sees_it(
    page, browser, live_server, settings, sign_in_staff, customer, agent
):
    settings.BASE_URL = live_server.url
    page.goto("/portal/login/")
    page.fill("input[name=email]", customer.email)
    page.click("button.primary")
    page.wait_for_selector("text=sent")

    page.goto(_link_from_last_mail())
    page.click("button.primary")  # the link page asks for a click, so mail scanners can't spend it
    page.wait_for_url("**/portal/")

    page.goto("/portal/new/")
    page.click("label.kind-card:has-text('Idea')")
    page.fill("input[name=subject]", "Gift wrapping option")
    page.fill("textarea[name=message]", "Could you offer gift wrapping at checkout?")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "sketch.txt", "mimeType": "text/plain", "buffer": b"a bow on top"}],
    )
    page.click("button.primary")
    page.wait_for_selector("text=Could you offer gift wrapping")

    created = Conversation.objects.get(subject="Gift wrapping option")
    assert created.customer == customer and created.kind == Kind.IDEA
    assert created.messages.get().attachments.get().filename == "sketch.txt"

    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in_staff(staff, agent)
    staff.goto("/desk/?view=open")
    staff.click("a:has-text('Gift wrapping option')")
    assert staff.locator("text=Could you offer gift wrapping at checkout?").is_visible()
    assert staff.locator("text=sketch.txt").is_visible()
