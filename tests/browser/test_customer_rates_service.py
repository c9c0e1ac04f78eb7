"""A customer rates a solved conversation from the email's link, and the agent who
solved it finds the recovery conversation under the bell — in a real browser."""

import re

from django.core import mail

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.surveys.models import Survey


def _rating_link(score: int) -> str:
    [email] = [m for m in mail.outbox if "/surveys/answer/" in m.body]
    match = re.search(rf"https?://\S+/surveys/answer/\S+\?score={score}", email.body)
    assert match, email.body
    return match.group(0)


def test_a_poor_rating_reaches_the_agent_as_a_recovery_conversation(
    page, browser, live_server, settings, sign_in_staff, customer, agent
):
    settings.BASE_URL = live_server.url
    settings.CSAT_DELAY_MINUTES = 0
    conversation = actions.open_conversation(
        customer=customer, subject="Lamp arrived broken", body="The lamp is cracked."
    )
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)

    page.goto(_rating_link(2))
    assert page.locator("input[name=score][value='2']").is_checked()  # chosen, not yet sent
    assert Survey.objects.get(conversation=conversation).answered_at is None
    page.fill("textarea[name=comment]", "The replacement never came.")
    page.click("button.primary")
    page.wait_for_selector("text=We have your answer")

    survey = Survey.objects.get(conversation=conversation)
    assert (survey.score, survey.comment) == (2, "The replacement never came.")
    assert survey.recovery.assignee == agent

    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in_staff(staff, agent)
    staff.goto("/desk/notifications/")
    staff.click("a:has-text('close the loop')")
    staff.wait_for_selector("text=The replacement never came.")
    staff.goto(f"/desk/c/{conversation.pk}/")
    staff.wait_for_selector("section.surveys >> text=2/5")
