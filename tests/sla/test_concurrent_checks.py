"""Two SLA checks at the same moment (two workers, or a slow run overlapping the next)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from everydesk.conversations import actions
from everydesk.conversations.models import Event, EventType, Kind
from everydesk.notifications.models import Notification
from everydesk.sla import evaluation
from everydesk.sla.models import ConversationSla, SlaPolicy

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks and a second connection"
)


@pytest.mark.django_db(transaction=True)
def test_two_checks_at_once_escalate_each_breach_once(admin, customer):
    SlaPolicy.objects.create(name="Default", first_response_minutes=60)
    for n in range(40):
        actions.open_conversation(
            customer=customer, subject=f"Case {n}", body="Help", kind=Kind.COMPLAINT
        )
    now = max(ConversationSla.objects.values_list("due_at", flat=True)) + dt.timedelta(minutes=1)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def check() -> None:
        try:
            start.wait()
            evaluation.run(now)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Event.objects.filter(type=EventType.SLA_BREACHED).count() == 40
    assert ConversationSla.objects.filter(breached_at__isnull=True).count() == 0
    # Each check told the admin about the breaches it claimed: together, all 40, once.
    titles = list(Notification.objects.filter(user=admin).values_list("title", flat=True))
    told = sum(int(t.split()[0]) if t[0].isdigit() else 1 for t in titles)
    assert told == 40
