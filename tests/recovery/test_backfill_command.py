"""`everydesk recovery --backfill`: solved complaints from before, counted once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from everydesk.conversations.models import Conversation, Status
from everydesk.recovery.models import SolvedComplaint


def _run() -> str:
    out = StringIO()
    call_command("recovery", backfill=True, stdout=out)
    return out.getvalue()


def test_backfill_records_solved_complaints_once(conversation, other_conversation):
    solved = timezone.now()
    Conversation.objects.filter(pk__in=[conversation.pk, other_conversation.pk]).update(
        status=Status.CLOSED, solved_at=solved
    )
    assert "Recorded 1 solved complaint(s)" in _run()  # the question is not a complaint
    row = SolvedComplaint.objects.get()
    assert (row.conversation_id, row.customer_id, row.solved_at) == (
        conversation.pk,
        conversation.customer_id,
        solved,
    )
    assert "Recorded 0 solved complaint(s)" in _run()


def test_without_backfill_it_says_what_to_add(db):
    with pytest.raises(CommandError, match="add --backfill"):
        call_command("recovery")
