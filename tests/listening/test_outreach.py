"""The one-step proactive message: one new conversation and email per affected customer."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from everydesk.conversations import actions as conversation_actions
from everydesk.conversations.models import (
    Channel,
    Conversation,
    EventType,
    MessageKind,
    Status,
)
from everydesk.listening import outreach, topics
from everydesk.listening.models import Alert, Outreach
from everydesk.mail.models import Delivery
from tests.listening.conftest import make_customer, make_topic, make_voice, near

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(customer, conversation):
    topic = make_topic(0, name="charged twice")
    now = timezone.now()
    ana, ben = make_customer("Ana Lopez"), make_customer("Ben Ito")
    conversation_actions.open_conversation(
        customer=ben, subject="Charged", body="Charged twice", channel=Channel.FORM
    )
    voices = [
        make_voice("Charged twice!", near(0), at=now - dt.timedelta(hours=2), customer=customer),
        make_voice("Double charge", near(0), at=now - dt.timedelta(hours=1), customer=customer),
        make_voice("Charged twice again", near(0), at=now - dt.timedelta(hours=1), customer=ana),
        make_voice("Two charges", near(0), at=now - dt.timedelta(hours=1), customer=ben),
        # Before the alert: not affected.
        make_voice("Old charge", near(0), at=now - dt.timedelta(days=3), customer=make_customer()),
    ]
    topics.assign(voices)
    return Alert.objects.create(
        topic=topic,
        window_start=now - dt.timedelta(hours=3),
        window_end=now,
        observed=4,
        expected=0.5,
        score=6.0,
    )


def _send(client, alert, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("desk:alert_outreach", args=[alert.pk]), data)


def test_each_affected_customer_gets_one_new_conversation_and_email(
    client, manager, alert, customer, django_capture_on_commit_callbacks
):
    assert outreach.affected_customers(alert).count() == 3
    client.force_login(manager)
    response = _send(
        client,
        alert,
        django_capture_on_commit_callbacks,
        subject="About the double charge",
        body="Hi {customer.first_name}, we refunded the second charge. {agent.name}",
    )
    assert response.status_code == 302
    reached = Outreach.objects.filter(alert=alert)
    assert reached.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        c.email for c in outreach.affected_customers(alert)
    )
    carol = reached.get(customer=customer).conversation
    assert carol.status == Status.PENDING and carol.subject == "About the double charge"
    message = carol.messages.get()
    assert message.kind == MessageKind.REPLY and message.author_user == manager
    assert message.body_text == "Hi Carol, we refunded the second charge. Max"
    assert Delivery.objects.filter(conversation=carol, template="reply").exists()
    ben = reached.get(customer__name="Ben Ito").conversation
    assert ben.channel == Channel.FORM  # the door Ben last used
    alert.refresh_from_db()
    assert alert.outreach_sent_at is not None and alert.outreach_by == manager
    page = client.get(reverse("desk:alert", args=[alert.pk])).content.decode()
    assert "Sent to 3 customers" in page
    event = carol.events.get(type=EventType.PROACTIVE)
    assert event.actor == manager and event.data == {"alert": alert.pk, "topic": "charged twice"}
    thread = client.get(reverse("desk:conversation", args=[carol.pk])).content.decode()
    assert "Max wrote first, to every customer affected by the emerging issue" in thread


def test_sending_again_reaches_nobody_twice(
    client, manager, alert, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    _send(client, alert, django_capture_on_commit_callbacks, subject="Sorry", body="Refunded.")
    before = Conversation.objects.count()
    again = _send(client, alert, django_capture_on_commit_callbacks, subject="Sorry", body="Again")
    assert again.status_code == 400
    assert "Every affected customer has had it." in again.content.decode()
    assert outreach.send_all(alert.pk) == 0  # the job itself, run twice
    assert Conversation.objects.count() == before
    assert len(mail.outbox) == 3


def test_an_unknown_placeholder_is_refused_with_the_text_kept(client, manager, alert):
    client.force_login(manager)
    response = client.post(
        reverse("desk:alert_outreach", args=[alert.pk]),
        {"subject": "Sorry", "body": "Hi {customer.phone}"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown placeholder {customer.phone}" in html
    assert "Hi {customer.phone}" in html
    assert not Outreach.objects.exists()


def test_acknowledge_and_resolve_buttons(client, manager, alert):
    client.force_login(manager)
    client.post(reverse("desk:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == manager
    client.post(reverse("desk:alert_resolve", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by == manager
    again = client.post(reverse("desk:alert_resolve", args=[alert.pk]))
    assert again.status_code == 400


def test_the_alert_page_shows_the_trend_examples_and_customers(client, admin, alert, customer):
    client.force_login(admin)
    html = client.get(reverse("desk:alert", args=[alert.pk])).content.decode()
    assert "Charged twice again" in html and "Old charge" not in html
    assert "Ana Lopez" in html and customer.email in html
    assert "Observed" in html and "Expected" in html and "<svg" in html
    assert client.get(reverse("desk:alerts")).content.decode().count("charged twice") >= 1


@pytest.mark.parametrize("who", ["agent", "employee"])
def test_other_staff_cannot_see_or_send(client, request, who, alert):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("desk:alert", args=[alert.pk])).status_code == 404
    response = client.post(
        reverse("desk:alert_outreach", args=[alert.pk]), {"subject": "x", "body": "y"}
    )
    assert response.status_code == 404
    assert not Outreach.objects.exists()


def test_affected_customers_follow_the_topic_when_it_is_merged(alert, manager):
    from everydesk.listening import actions

    target = make_topic(1, name="billing")
    actions.merge_topics(source=alert.topic, target=target, actor=manager)
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert outreach.affected_customers(alert).count() == 3
