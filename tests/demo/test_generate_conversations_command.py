"""`everydesk generate_conversations`: appends generated traffic."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from everydesk.conversations.models import Conversation, Message

pytestmark = pytest.mark.django_db


def test_command_appends_conversations_and_reports_the_speed():
    out = StringIO()
    call_command(
        "generate_conversations", conversations=40, messages=2, no_progress=True, stdout=out
    )
    call_command(
        "generate_conversations",
        conversations=10,
        customers=0,
        seed=2,
        no_progress=True,
        stdout=out,
    )
    assert Conversation.objects.count() == 50
    assert Message.objects.filter(conversation__in=Conversation.objects.order_by("id")[:40])
    assert "Added 8 customers, 40 conversations, 80 messages" in out.getvalue()
    assert "rows/s" in out.getvalue()


def test_command_refuses_impossible_counts():
    with pytest.raises(CommandError, match="between 1 and 20"):
        call_command("generate_conversations", conversations=5, messages=0, no_progress=True)
    with pytest.raises(CommandError, match="negative"):
        call_command("generate_conversations", conversations=-1, no_progress=True)
    assert not Conversation.objects.exists()
