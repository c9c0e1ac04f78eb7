"""Email messages in the desk and portal threads: new text first, history behind a click."""

import re

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Channel

REPLY = """Thanks, the new lamp works.

Carol

On Tue, Mar 3, 2026 at 10:00 AM Acme Support <support@acme.test> wrote:

> Hello Carol,
> we are sending a new lamp.
"""
GMAIL_HTML = (
    "<div>Thanks, the <b>new lamp</b> works.</div><br><div class='gmail_quote'>"
    "<div class='gmail_attr'>On Tue, Mar 3, 2026 at 10:00 AM Acme Support wrote:</div>"
    "<blockquote class='gmail_quote'>Hello Carol, we are sending a new lamp.</blockquote></div>"
)


def email_reply(conversation, customer, body: str, html: str = ""):
    return actions.add_customer_message(
        conversation=conversation, customer=customer, body=body, html=html, channel=Channel.EMAIL
    )


def desk_html(client, agent, conversation) -> str:
    client.force_login(agent)
    response = client.get(reverse("desk:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def message_block(page: str, text: str) -> str:
    """The <li> of the thread that holds `text`."""
    for block in re.findall(r"<li class=\"(?:msg|message)[^\"]*\".*?</li>", page, re.S):
        if text in block:
            return block
    raise AssertionError(f"{text!r} is in no message of the thread")


def visible_and_folded(block: str) -> tuple[str, str]:
    before, marker, after = block.partition('<details class="quoted">')
    assert marker, "nothing was folded"
    return before, after.split("</details>", 1)[0]


def test_agent_sees_email_text_with_the_quote_folded(client, agent, customer, conversation):
    email_reply(conversation, customer, REPLY)
    visible, folded = visible_and_folded(
        message_block(desk_html(client, agent, conversation), "new lamp works")
    )
    assert "Thanks, the new lamp works." in visible
    assert "we are sending a new lamp" not in visible
    assert "<summary>Show quoted text</summary>" in folded
    assert "On Tue, Mar 3, 2026" in folded
    assert "&gt; we are sending a new lamp." in folded  # escaped, never raw


def test_html_email_folds_the_gmail_quote_and_keeps_formatting(
    client, agent, customer, conversation
):
    email_reply(conversation, customer, REPLY, html=GMAIL_HTML)
    block = message_block(desk_html(client, agent, conversation), "works.</div>")
    visible, folded = visible_and_folded(block)
    assert "Thanks, the <b>new lamp</b> works." in visible
    assert "<blockquote>Hello Carol, we are sending a new lamp.</blockquote>" in folded
    assert "gmail_quote" not in block  # sanitised markup only


def test_html_that_cannot_be_folded_shows_folded_text_and_the_original_behind_a_click(
    client, agent, customer, conversation
):
    html = "<p>Thanks, the new lamp works.</p><p>Carol</p><p>Earlier: we are sending a lamp</p>"
    email_reply(conversation, customer, REPLY, html=html)
    block = message_block(desk_html(client, agent, conversation), "new lamp works")
    visible, folded = visible_and_folded(block)
    assert "Thanks, the new lamp works." in visible
    assert "On Tue, Mar 3, 2026" in folded
    assert '<details class="original"><summary>Show original formatting</summary>' in block
    assert "<p>Earlier: we are sending a lamp</p>" in block


def test_portal_messages_are_never_folded(client, agent, customer, conversation):
    actions.add_customer_message(conversation=conversation, customer=customer, body=REPLY)
    block = message_block(desk_html(client, agent, conversation), "new lamp works")
    assert "<details" not in block
    assert "&gt; we are sending a new lamp." in block


def test_email_without_history_shows_as_before(client, agent, customer, conversation):
    email_reply(conversation, customer, "Just one more question: is it dimmable?")
    block = message_block(desk_html(client, agent, conversation), "dimmable")
    assert "<details" not in block
    assert "<p>Just one more question: is it dimmable?</p>" in block


@pytest.mark.parametrize("html", ["", GMAIL_HTML])
def test_customer_sees_their_email_folded_in_the_portal(client, customer, conversation, html):
    email_reply(conversation, customer, REPLY, html=html)
    client.force_login(customer.user)
    page = client.get(reverse("portal:conversation", args=[conversation.pk])).content.decode()
    visible, folded = visible_and_folded(message_block(page, "new lamp"))
    assert "new lamp" in visible and "works." in visible
    assert "we are sending a new lamp" in folded
