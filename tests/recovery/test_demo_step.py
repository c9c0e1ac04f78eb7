"""The demo's recovery step on complaints loaded in bulk (no status action ran)."""

from django.utils import timezone

from everydesk.conversations.models import Conversation, Status
from everydesk.demo.recovery import create_follow_ups
from everydesk.recovery.models import FollowUp, SolvedComplaint


def test_the_demo_step_counts_solved_complaints_and_follows_the_latest_up(conversation, agent):
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Status.SOLVED, solved_at=timezone.now(), assignee=agent
    )
    assert create_follow_ups() == 2
    assert SolvedComplaint.objects.filter(conversation=conversation).exists()
    call = FollowUp.objects.get(contact="call")
    assert call.is_due and call.owner == agent
    assert create_follow_ups() == 2  # run again: nothing doubled
