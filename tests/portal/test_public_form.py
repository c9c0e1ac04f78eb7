"""The public form: open to anyone, embeddable, kept clear of bots without a CAPTCHA."""

import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from everydesk.conversations.models import Channel, Conversation
from everydesk.customers.models import Customer
from everydesk.portal import bots

URL = reverse("portal:form")
THANKS = reverse("portal:form_thanks")


def filled(seconds_ago=30, **changes):
    return {
        "name": "Paula Public",
        "email": "Paula@Example.com",
        "kind": "idea",
        "subject": "Gift wrapping",
        "message": "Could you offer gift wrapping?",
        "website": "",
        "started": bots.stamp(time.time() - seconds_ago),
        **changes,
    }


def send(client, capture, data, path=URL):
    with capture(execute=True):
        return client.post(path, data)


def test_form_is_open_to_anyone(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="started"' in response.content
    assert b'class="topbar"' in response.content


def test_happy_path_creates_customer_conversation_and_acknowledgement(
    client, db, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks, filled())
    assert response.url == THANKS
    customer = Customer.objects.get()
    assert (customer.email, customer.name) == ("paula@example.com", "Paula Public")
    conversation = Conversation.objects.get()
    assert (conversation.customer, conversation.kind, conversation.channel) == (
        customer,
        "idea",
        Channel.FORM,
    )
    assert conversation.messages.get().body_text == "Could you offer gift wrapping?"
    assert [m.to for m in mail.outbox] == [["paula@example.com"]]
    assert reverse("portal:conversation", args=[conversation.pk]) in mail.outbox[0].body


def test_known_customer_gets_the_conversation_on_their_profile(
    client, customer, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks, filled(email="carol@example.com"))
    assert Conversation.objects.get().customer == customer
    assert Customer.objects.count() == 1


def test_thank_you_page_reveals_nothing_about_other_conversations(
    client, conversation, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks, filled(email="carol@example.com"))
    page = client.get(THANKS)
    assert b"we have your message" in page.content
    assert conversation.subject.encode() not in page.content
    assert b"#" + str(conversation.pk).encode() not in page.content


def test_works_without_a_csrf_token_from_another_site(db, django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    response = send(strict, django_capture_on_commit_callbacks, filled())
    assert response.status_code == 302
    assert Conversation.objects.count() == 1


def test_form_and_thank_you_page_can_be_framed(client, db):
    for path in (URL, f"{URL}?embed=1", THANKS):
        response = client.get(path)
        assert "X-Frame-Options" not in response.headers, path


def test_other_pages_still_refuse_framing(client, db):
    assert client.get(reverse("portal:login")).headers["X-Frame-Options"] == "DENY"


def test_embed_layout_has_no_top_bar_and_stays_embedded(
    client, db, django_capture_on_commit_callbacks
):
    page = client.get(URL, {"embed": "1"})
    assert b'class="topbar"' not in page.content
    assert b'action="/portal/form/?embed=1"' in page.content
    response = send(client, django_capture_on_commit_callbacks, filled(), path=f"{URL}?embed=1")
    assert response.url == f"{THANKS}?embed=1"
    assert b'class="topbar"' not in client.get(response.url).content


def test_honeypot_submission_looks_successful_but_creates_nothing(
    client, db, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks, filled(website="http://spam.test"))
    assert response.url == THANKS
    assert not Customer.objects.exists()
    assert not Conversation.objects.exists()
    assert mail.outbox == []


def test_too_fast_submission_looks_successful_but_creates_nothing(
    client, db, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks, filled(seconds_ago=1))
    assert response.url == THANKS
    assert not Customer.objects.exists()
    assert not Conversation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "started",
    [
        bots.stamp(time.time() - 2 * 24 * 60 * 60),  # a day old
        "1700000000.0",  # forged: not signed
        "",  # missing
    ],
)
def test_stale_or_forged_timestamp_creates_nothing_and_asks_again(client, db, started):
    response = client.post(URL, filled(started=started))
    assert response.status_code == 200
    assert b"Please check your message and send it again." in response.content
    assert b"Could you offer gift wrapping?" in response.content
    assert not Conversation.objects.exists()


def test_correcting_a_mistake_quickly_is_not_taken_for_a_bot(
    client, db, django_capture_on_commit_callbacks
):
    served = bots.stamp(time.time() - 4)
    first = client.post(URL, filled(email="", started=served))
    assert b"We need your email address to answer you." in first.content
    assert first.context["stamp"] == served  # not restarted, or a quick fix would look like a bot
    send(client, django_capture_on_commit_callbacks, filled(started=first.context["stamp"]))
    assert Conversation.objects.count() == 1


def test_incomplete_form_sent_at_once_shows_the_mistakes_not_a_false_thank_you(client, db):
    response = client.post(URL, filled(seconds_ago=0, message=""))
    assert response.status_code == 200
    assert b"Please write your message." in response.content


def test_invalid_fields_are_explained_and_nothing_is_created(client, db):
    response = client.post(URL, filled(email="nope", kind="", message=""))
    assert b"Enter a valid email address." in response.content
    assert b"Please choose what this is about." in response.content
    assert b"Please write your message." in response.content
    assert not Customer.objects.exists()


def test_submissions_are_rate_limited_per_ip(client, db, settings):
    settings.PUBLIC_FORM_RATE = "2/h"
    for _ in range(2):
        assert client.post(URL, filled()).status_code == 302
    refused = client.post(URL, filled(subject="Third"))
    assert refused.status_code == 429
    assert "X-Frame-Options" not in refused.headers  # the refusal shows inside the iframe too
    assert not Conversation.objects.filter(subject="Third").exists()
    assert client.post(URL, filled(subject="Elsewhere"), REMOTE_ADDR="10.1.1.1").status_code == 302
