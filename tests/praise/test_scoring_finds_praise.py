"""The scoring job itself hands its praise on: real models, real conversation."""

from everydesk.conversations import actions
from everydesk.conversations.models import Kind
from everydesk.listening import scorer
from everydesk.notifications.models import Notification
from everydesk.praise.models import MatchedBy, Praise


def test_a_customer_thanking_an_agent_by_name_reaches_the_agent_and_their_manager(
    customer, agent, manager, django_capture_on_commit_callbacks
):
    agent.manager = manager
    agent.save(update_fields=["manager"])
    conversation = actions.open_conversation(
        customer=customer,
        subject="Thank you",
        body="Alice was fantastic, she solved my problem in five minutes. Thank you so much!",
        kind=Kind.PRAISE,
    )

    with django_capture_on_commit_callbacks(execute=True):
        scorer.score_pending()

    praise = Praise.objects.get()
    assert (praise.employee, praise.matched_by) == (agent, MatchedBy.FIRST_NAME)
    assert praise.conversation == conversation
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        agent.email,
        manager.email,
    }
    scorer.score_pending()  # nothing new to score, nothing recorded twice
    assert Praise.objects.count() == 1
