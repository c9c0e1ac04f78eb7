import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Priority
from everydesk.conversations.queues import INBOX_ORDER
from everydesk.lib.keyset import BadCursor, paginate


def test_pages_follow_priority_then_age_without_duplicates(customer, agent):
    made = []
    for i in range(9):
        conversation = actions.open_conversation(customer=customer, subject=f"c{i}", body="x")
        actions.change_priority(
            conversation=conversation,
            actor=agent,
            priority=[Priority.URGENT, Priority.NORMAL, Priority.LOW][i % 3],
        )
        made.append(conversation)
    walked, cursor = [], None
    while True:
        page = paginate(Conversation.objects.all(), fields=INBOX_ORDER, after=cursor, limit=4)
        walked += page.items
        cursor = page.next_cursor
        if not cursor:
            break
    expected = sorted(Conversation.objects.all(), key=lambda c: (c.priority, c.created_at, c.pk))
    assert [c.pk for c in walked] == [c.pk for c in expected]


def test_descending_pages(customer):
    for i in range(5):
        actions.open_conversation(customer=customer, subject=f"c{i}", body="x")
    first = paginate(
        Conversation.objects.all(),
        fields=("updated_at", "id"),
        after=None,
        limit=3,
        descending=True,
    )
    second = paginate(
        Conversation.objects.all(),
        fields=("updated_at", "id"),
        after=first.next_cursor,
        limit=3,
        descending=True,
    )
    ids = [c.pk for c in first.items + second.items]
    assert ids == sorted(ids, reverse=True) and second.next_cursor is None


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WzEsIDJd", "!!!"])
def test_a_forged_cursor_is_refused(db, cursor):
    with pytest.raises(BadCursor):
        paginate(Conversation.objects.all(), fields=INBOX_ORDER, after=cursor, limit=3)
