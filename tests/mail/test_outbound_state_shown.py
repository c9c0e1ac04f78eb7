"""Each reply shows how its email is doing: on the desk, in the timeline and in the API."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.mail.delivery_status import status
from everydesk.mail.models import Delivery, DeliveryState
from tests.api.conftest import Api
from tests.mail import smtp_sink

pytestmark = pytest.mark.django_db

UNKNOWN_USER = "550 5.1.1 <carol@example.com>: user unknown"


@pytest.fixture
def sink(settings) -> Iterator[smtp_sink.SmtpSink]:
    with smtp_sink.running(settings) as server:
        yield server


def reply(conversation, agent, capture, body="On its way."):
    with capture(execute=True):
        return actions.add_reply(conversation=conversation, author=agent, body=body)


def page(client, agent, conversation) -> str:
    client.force_login(agent)
    response = client.get(reverse("desk:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_desk_shows_when_a_reply_was_sent(
    client, sink, agent, conversation, django_capture_on_commit_callbacks
):
    reply(conversation, agent, django_capture_on_commit_callbacks)
    sent_at = Delivery.objects.get().sent_at
    assert sent_at is not None

    html = page(client, agent, conversation)

    assert f"Sent {timezone.localtime(sent_at):%H:%M}" in html


def test_the_desk_shows_a_refusal_and_the_timeline_says_so(
    client, sink, agent, conversation, django_capture_on_commit_callbacks
):
    sink.answer_rcpt(UNKNOWN_USER)
    reply(conversation, agent, django_capture_on_commit_callbacks)

    html = page(client, agent, conversation)

    assert "Failed: 550 5.1.1 &lt;carol@example.com&gt;: user unknown (after 1 attempt)" in html
    assert (
        "Mail to carol@example.com could not be delivered: "
        "550 5.1.1 &lt;carol@example.com&gt;: user unknown (after 1 attempt)"
    ) in html


def test_the_desk_shows_a_queued_reply_and_one_waiting_for_its_next_attempt(
    client, sink, agent, conversation, django_capture_on_commit_callbacks
):
    actions.add_reply(conversation=conversation, author=agent, body="Not sent yet.")
    assert ">Queued</span>" in page(client, agent, conversation)

    sink.answer_rcpt("451 4.3.0 try later")
    reply(conversation, agent, django_capture_on_commit_callbacks, body="Greylisted.")
    due = Delivery.objects.get(message__body_text="Greylisted.").next_attempt_at
    assert due is not None

    html = page(client, agent, conversation)

    assert f"Retrying (attempt 2 of 6) at {timezone.localtime(due):%H:%M}" in html
    assert "451 4.3.0 try later" in html  # in the tooltip


def test_the_page_reads_deliveries_in_one_query_however_many_replies(client, agent, conversation):
    client.force_login(agent)
    url = reverse("desk:conversation", args=[conversation.pk])

    def queries_with(replies: int) -> int:
        while conversation.messages.filter(kind="reply").count() < replies:
            actions.add_reply(conversation=conversation, author=agent, body="More")
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert html.count(">Queued</span>") == replies
        return len(captured)

    assert queries_with(1) == queries_with(10)


def test_staff_read_the_delivery_in_the_api_and_the_customer_does_not(
    client, sink, agent, customer, conversation, django_capture_on_commit_callbacks
):
    sink.answer_rcpt(UNKNOWN_USER)
    reply(conversation, agent, django_capture_on_commit_callbacks)
    api, path = Api(client), f"/conversations/{conversation.pk}/messages"

    staff_view = api.get(path, agent).json()["items"]
    customer_view = api.get(path, customer).json()["items"]

    assert staff_view[0]["delivery"] is None  # the customer's own message
    delivery = staff_view[1]["delivery"]
    assert delivery["state"] == "failed"
    assert delivery["last_error"] == UNKNOWN_USER
    assert delivery["attempts"] == 1
    assert delivery["summary"] == f"Failed: {UNKNOWN_USER} (after 1 attempt)"
    assert delivery["to"] == "carol@example.com"
    assert [m["delivery"] for m in customer_view] == [None, None]


def test_times_from_another_day_carry_the_date(settings):
    settings.TIME_ZONE = "UTC"
    sent_at = dt.datetime(2025, 3, 3, 10, 42, tzinfo=dt.UTC)
    delivery = Delivery(to="carol@example.com", state=DeliveryState.SENT, sent_at=sent_at)

    assert status(delivery, now=sent_at + dt.timedelta(hours=2)).text == "Sent 10:42"
    assert status(delivery, now=sent_at + dt.timedelta(days=2)).text == "Sent 3 Mar 10:42"


def test_a_bounce_reads_as_one(settings):
    delivery = Delivery(
        to="carol@example.com", state=DeliveryState.BOUNCED, last_error="5.1.1 User unknown"
    )
    shown = status(delivery)
    assert (shown.text, shown.problem) == ("Bounced: 5.1.1 User unknown", True)
