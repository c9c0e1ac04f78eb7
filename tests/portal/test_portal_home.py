"""The customer's list of their conversations."""

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Status

URL = reverse("portal:home")


def test_customer_sees_only_their_own_conversations(
    client, customer, conversation, other_conversation
):
    client.force_login(customer.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert conversation.subject.encode() in response.content
    assert other_conversation.subject.encode() not in response.content


def test_statuses_are_shown_in_plain_words(client, customer, conversation, agent):
    actions.change_status(conversation=conversation, actor=agent, status=Status.PENDING)
    client.force_login(customer.user)
    response = client.get(URL)
    assert b"Waiting for your reply" in response.content
    assert b"Something went wrong" in response.content  # the kind, in customer words
    assert b"ticket" not in response.content.lower()


def test_newest_activity_comes_first_and_pages_follow(client, customer, settings, monkeypatch):
    from everydesk.portal.views import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    made = [
        actions.open_conversation(customer=customer, subject=f"Subject {n}", body="text")
        for n in range(3)
    ]
    actions.add_customer_message(conversation=made[0], customer=customer, body="news")
    client.force_login(customer.user)
    first = client.get(URL)
    order = [c.subject for c in first.context["page"].items]
    assert order == ["Subject 0", "Subject 2"]
    second = client.get(URL, {"after": first.context["page"].next_cursor})
    assert [c.subject for c in second.context["page"].items] == ["Subject 1"]
    assert second.context["page"].next_cursor is None


def test_a_bad_cursor_starts_again_from_the_newest(client, customer):
    client.force_login(customer.user)
    assert client.get(URL, {"after": "nonsense"}).url == URL


def test_merged_conversations_are_not_listed_twice(client, customer, conversation, agent):
    other = actions.open_conversation(customer=customer, subject="Same parcel again", body="x")
    actions.merge(source=other, target=conversation, actor=agent)
    client.force_login(customer.user)
    items = client.get(URL).context["page"].items
    assert items == [Conversation.objects.get(pk=conversation.pk)]


def test_empty_list_invites_to_write(client, customer):
    client.force_login(customer.user)
    assert b"Nothing here yet" in client.get(URL).content


def test_anonymous_visitor_is_asked_to_sign_in(client, db):
    response = client.get(URL)
    assert response.url == f"{reverse('portal:login')}?next={URL}"


@pytest.mark.parametrize("who", ["agent", "employee", "admin"])
def test_staff_are_sent_to_the_desk(client, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.url == reverse("home")
    assert client.get(response.url).url == reverse("desk:inbox")
