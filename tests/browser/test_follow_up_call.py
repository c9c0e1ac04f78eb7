"""An agent sees a due follow-up in the inbox, makes the call and records that the
customer is still unhappy, in a real browser: the complaint goes back into the queue."""

from datetime import timedelta

from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Status
from everydesk.recovery.models import Contact, FollowUp, FollowUpStatus, Outcome
from tests.recovery.conftest import make_policy


def test_agent_records_an_unhappy_follow_up_call(page, sign_in_staff, agent, conversation):
    make_policy()
    # live_server tests commit for real, so the scheduling job runs after this commit.
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    call = FollowUp.objects.get(contact=Contact.CALL)
    FollowUp.objects.filter(pk=call.pk).update(due_at=timezone.now() - timedelta(minutes=1))

    sign_in_staff(page, agent)
    panel = page.locator("section.follow-ups-due")
    assert panel.is_visible()
    panel.locator("a:has-text('Phone call')").click()
    page.wait_for_url(f"**/desk/follow-ups/{call.pk}/")
    assert page.locator("text=Ask whether the replacement arrived.").is_visible()

    page.check(f"input[name=outcome][value={Outcome.UNHAPPY}]")
    page.fill("textarea[name=note]", "The replacement lamp is cracked as well.")
    page.click("form[aria-label='Record the outcome'] button[type=submit]")
    page.wait_for_selector("text=Customer unhappy")

    call.refresh_from_db()
    assert (call.status, call.outcome, call.done_by) == (
        FollowUpStatus.DONE,
        Outcome.UNHAPPY,
        agent,
    )
    assert Conversation.objects.get(pk=conversation.pk).status == Status.OPEN
