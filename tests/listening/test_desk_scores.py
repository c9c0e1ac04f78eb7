"""The scores where agents work: inbox rows, each customer message, the sidebar's mood.
Customers never see them."""

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Channel, Kind
from everydesk.listening import scorer
from everydesk.listening.models import Topic, Voice

pytestmark = pytest.mark.django_db

ANGRY = "This is the third time I ask: cancel my account, my lawyer will call you."


def _open(customer, subject, body, kind=Kind.COMPLAINT):
    return actions.open_conversation(customer=customer, subject=subject, body=body, kind=kind)


def test_inbox_rows_show_mood_and_urgency_signals(client, agent, customer, scoring):
    angry = _open(customer, "Angry", ANGRY)
    _open(customer, "Waiting", "Where is my order?")
    scorer.score_pending()
    _open(customer, "Fresh", "Just arrived, not scored yet.")
    client.force_login(agent)
    page = client.get(reverse("desk:inbox"), {"view": "open"}).content.decode()
    voice = Voice.objects.get(conversation=angry)
    labels = [scoring.URGENCY_SIGNAL_LABELS[code] for code in voice.urgency_signals]
    assert f"Urgency {voice.urgency}: {', '.join(labels)}" in page
    assert 'class="urgency urgency-high"' in page  # at or above EVERYDESK_LISTENING_URGENT_AT
    assert 'class="mood mood-negative"' in page and ">Negative</span>" in page
    assert "scoring…" in page  # the fresh one


def test_search_results_show_the_mood_too(client, agent, customer):
    _open(customer, "Lamp", "The lamp arrived broken and I am angry.")
    scorer.score_pending()
    client.force_login(agent)
    page = client.get(reverse("desk:search"), {"q": "lamp"}).content.decode()
    assert 'class="mood mood-negative"' in page


def test_each_customer_message_shows_its_scores(client, agent, customer):
    conversation = _open(customer, "Lamp", "The lamp arrived broken and I am angry.")
    scorer.score_pending()
    topic = Topic.objects.create(name="Broken lamps")
    Voice.objects.update(topic=topic)
    actions.add_reply(
        conversation=conversation, author=agent, body="So sorry, a new one is coming."
    )
    actions.add_customer_message(conversation=conversation, customer=customer, body="Thank you!")
    client.force_login(agent)
    page = client.get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    assert page.count('<div class="scores">') == 2  # the two customer messages, not the reply
    assert "Topic: Broken lamps" in page
    assert ">Complaint</span>" in page
    assert "scoring…" in page  # the thank-you is not scored yet


def test_the_sidebar_shows_the_conversations_mood(client, agent, customer):
    conversation = _open(customer, "Lamp", "The lamp arrived broken and I am angry.")
    scorer.score_pending()
    client.force_login(agent)
    page = client.get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    mood_card = page.split('class="card mood-card"')[1].split("</section>")[0]
    assert "Negative" in mood_card


def test_the_customer_sees_no_scores_in_the_portal(client, customer):
    conversation = _open(customer, "Lamp", ANGRY)
    scorer.score_pending()
    client.force_login(customer.user)
    page = client.get(reverse("portal:conversation", args=[conversation.pk])).content.decode()
    assert "cancel my account" in page
    for word in ("mood", "Urgency", "Negative", "scores", "Topic"):
        assert word not in page


def test_the_inbox_stays_a_fixed_number_of_queries_with_scores(
    client, agent, customer, other_customer, django_assert_num_queries
):
    def many(n):
        for i in range(n):
            who = customer if i % 2 else other_customer
            conversation = _open(who, f"Case {i}", "Anyone there?")
            actions.add_customer_message(conversation=conversation, customer=who, body=ANGRY)
        scorer.score_pending()

    client.force_login(agent)
    url = reverse("desk:inbox")
    many(3)
    client.get(url, {"view": "open"})  # warm the session
    # Session, user, teams, 3 counts, the page, its tags, the moods, follow-ups due.
    with django_assert_num_queries(10):
        client.get(url, {"view": "open"})
    many(20)
    with django_assert_num_queries(10):
        page = client.get(url, {"view": "open"}).content.decode()
    assert page.count("mood-negative") == 23


def test_an_email_opened_as_other_shows_the_kind_listening_gave_it(client, agent, customer):
    conversation = actions.open_conversation(
        customer=customer,
        subject="Lamp",
        body="The lamp arrived broken and I am angry.",
        kind=Kind.OTHER,
        channel=Channel.EMAIL,
    )
    scorer.score_pending()
    client.force_login(agent)
    page = client.get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    assert "Kind set by listening from Other to Complaint" in page


def test_a_mood_without_urgency_signals_shows_no_urgency_badge():
    from django.template.loader import render_to_string

    from everydesk.listening.display import Mood

    quiet = render_to_string("listening/_mood.html", {"mood": Mood("negative", -0.3, 8, ())})
    loud = render_to_string(
        "listening/_mood.html", {"mood": Mood("negative", -0.7, 60, ("Threatens to leave",))}
    )
    assert "Negative" in quiet and "Urgency" not in quiet
    assert "Urgency 60: Threatens to leave" in loud
