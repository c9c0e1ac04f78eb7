"""An employee on shift takes a conversation, uses a suggested reply and asks a mentor,
in a real browser: the HTMX pieces (guidance, "use this reply", the review button) work."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everydesk.conversations import actions
from everydesk.conversations.models import Kind, MessageKind, Status
from everydesk.frontline import shift_inbox
from everydesk.frontline.models import ReplyReview, Shift
from everydesk.listening import scorer, similar

SOLUTION = "You can change it under My orders, then Edit address, until the parcel ships."


@pytest.fixture
def scene(settings, employee, manager, agent, customer, other_customer):
    settings.LISTENING_NUDGE_SECONDS = 0
    similar.forget()
    employee.manager = manager
    employee.save(update_fields=["manager"])
    now = timezone.now()
    Shift.objects.create(
        user=employee, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2)
    )
    solved = actions.open_conversation(
        customer=other_customer,
        subject="New address",
        body="Hi! How can I change the delivery address for my order? Thanks a lot.",
        kind=Kind.QUESTION,
    )
    waiting = actions.open_conversation(
        customer=customer,
        subject="Address change",
        body="Hello, can I still change the delivery address of my order? Thank you!",
        kind=Kind.QUESTION,
    )
    scorer.score_pending()
    actions.add_reply(conversation=solved, author=agent, body=SOLUTION, status=Status.SOLVED)
    waiting.refresh_from_db()
    yield waiting
    similar.forget()


def test_employee_takes_next_uses_a_suggestion_and_asks_a_mentor(
    page, sign_in_staff, employee, scene
):
    # Scored by the real models: a calm question the shift inbox offers.
    assert list(shift_inbox.pool()) == [scene], (scene.urgency, scene.sentiment)
    sign_in_staff(page, employee)
    page.click("nav >> text=Shift")
    page.click("button:has-text('Take next')")
    page.wait_for_url(f"**/desk/c/{scene.pk}/")

    page.click("button:has-text('Use this reply')")
    expect(page.locator("#reply-body")).to_have_value(re.compile("Edit address"))
    page.fill("#reply-body", "Hello Carol, " + page.input_value("#reply-body"))
    page.click("button:has-text('Ask a mentor to review')")

    page.wait_for_selector("text=waits for Max to review it")
    review = ReplyReview.objects.get()
    assert review.body.startswith("Hello Carol, You can change it under My orders")
    assert not scene.messages.filter(kind=MessageKind.REPLY).exists()
