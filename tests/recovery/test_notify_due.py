"""The periodic job tells each owner once when a follow-up falls due."""

from datetime import timedelta

from django.utils import timezone

from everydesk.notifications.models import Notification
from everydesk.recovery import tasks
from everydesk.recovery.models import Contact, FollowUp


def _due(follow_up: FollowUp, ago: timedelta) -> None:
    FollowUp.objects.filter(pk=follow_up.pk).update(due_at=timezone.now() - ago)


def test_the_owner_is_notified_once_when_a_follow_up_falls_due(conversation, agent, policy, solve):
    solve(conversation, agent)
    tasks.notify_due.call_local()
    assert not Notification.objects.exists()  # nothing due yet
    call = FollowUp.objects.get(contact=Contact.CALL)
    _due(call, timedelta(minutes=1))
    tasks.notify_due.call_local()
    tasks.notify_due.call_local()
    note = Notification.objects.get()
    assert (note.user, note.kind, note.url) == (
        agent,
        "follow_up_due",
        f"/desk/follow-ups/{call.pk}/",
    )
    assert note.title == "Phone call due: Carol Jones"
    assert FollowUp.objects.get(pk=call.pk).notified_at is not None


def test_a_follow_up_without_owner_is_marked_but_nobody_is_notified(
    conversation, policy, solve, admin
):
    solve(conversation, admin)
    FollowUp.objects.update(owner=None)
    _due(FollowUp.objects.first(), timedelta(hours=1))
    tasks.notify_due.call_local()
    assert not Notification.objects.exists()
