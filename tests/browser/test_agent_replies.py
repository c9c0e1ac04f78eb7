"""An agent signs in, opens a conversation from the inbox and replies, in a real browser."""

from everydesk.conversations.models import MessageKind, Status


def test_agent_signs_in_opens_a_conversation_and_replies(page, sign_in_staff, agent, conversation):
    sign_in_staff(page, agent)
    page.click("text=All open")
    page.click(f"a:has-text('{conversation.subject}')")
    page.wait_for_url(f"**/desk/c/{conversation.pk}/")
    assert page.locator("text=The box was crushed").is_visible()

    page.fill("form.composer-reply textarea", "So sorry, Carol: a new lamp ships today.")
    page.select_option("form.composer-reply select[name=status]", Status.PENDING)
    page.click("form.composer-reply button[type=submit]")

    page.wait_for_selector("text=a new lamp ships today")
    reply = conversation.messages.get(kind=MessageKind.REPLY)
    assert reply.author_user == agent
    assert reply.body_text == "So sorry, Carol: a new lamp ships today."
    conversation.refresh_from_db()
    assert conversation.status == Status.PENDING
