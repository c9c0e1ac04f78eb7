"""One conversation as the customer sees it, and replying to it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from everydesk.conversations import access, actions
from everydesk.conversations.models import Message, MessageKind, Status


def url(conversation):
    return reverse("portal:conversation", args=[conversation.pk])


@pytest.fixture
def carol(client, customer):
    client.force_login(customer.user)
    return client


def test_thread_shows_public_messages_but_never_notes(carol, conversation, agent):
    actions.add_reply(conversation=conversation, author=agent, body="We are sending a new lamp.")
    actions.add_note(conversation=conversation, author=agent, body="Courier blamed, claim filed")
    actions.set_tags(conversation=conversation, actor=agent, names=["courier-damage"])
    response = carol.get(url(conversation))
    assert response.status_code == 200
    assert b"The box was crushed" in response.content
    assert b"We are sending a new lamp." in response.content
    assert b"Alice" in response.content
    assert b"Courier blamed" not in response.content
    assert b"courier-damage" not in response.content


def test_solved_news_is_told_in_plain_words(carol, conversation, agent):
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    assert b"We marked this as solved" in carol.get(url(conversation)).content


def test_attachments_link_to_the_file_view(carol, conversation, customer):
    actions.add_customer_message(
        conversation=conversation,
        customer=customer,
        body="Photo attached",
        files=[SimpleUploadedFile("lamp.jpg", b"jpeg", content_type="image/jpeg")],
    )
    attachment = Message.objects.get(body_text="Photo attached").attachments.get()
    assert f'href="/files/{attachment.pk}/"'.encode() in carol.get(url(conversation)).content
    assert carol.get(f"/files/{attachment.pk}/").status_code == 200


def test_customer_gets_404_for_someone_elses_conversation(carol, other_conversation):
    assert carol.get(url(other_conversation)).status_code == 404
    response = carol.post(url(other_conversation), {"message": "let me in"})
    assert response.status_code == 404
    assert not other_conversation.messages.filter(body_text="let me in").exists()


def test_customer_gets_404_for_someone_elses_attachment(
    carol, customer, other_conversation, other_customer
):
    message = actions.add_customer_message(
        conversation=other_conversation,
        customer=other_customer,
        body="my passport",
        files=[SimpleUploadedFile("passport.pdf", b"%PDF", content_type="application/pdf")],
    )
    attachment = message.attachments.get()
    with pytest.raises(Http404):
        access.get_attachment_for(customer.user, attachment.pk)
    assert carol.get(f"/files/{attachment.pk}/").status_code == 404


def test_reply_is_added_to_the_thread(carol, conversation):
    response = carol.post(url(conversation), {"message": "Any news?"})
    assert response.url == url(conversation)
    message = conversation.messages.latest("id")
    assert (message.kind, message.body_text) == (MessageKind.CUSTOMER, "Any news?")


def test_reply_reopens_a_solved_conversation(carol, conversation, agent):
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    carol.post(url(conversation), {"message": "It broke again."})
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN


def test_reply_with_too_many_attachments_keeps_the_text(carol, conversation, settings):
    settings.ATTACHMENTS_PER_MESSAGE = 1
    files = [SimpleUploadedFile(n, b"x") for n in ("a.txt", "b.txt")]
    response = carol.post(url(conversation), {"message": "Two photos", "attachments": files})
    assert b"At most 1 attachments per message." in response.content
    assert b"Two photos" in response.content
    assert conversation.messages.count() == 1


def test_closed_conversation_has_no_reply_form(carol, conversation, agent):
    actions.change_status(conversation=conversation, actor=agent, status=Status.CLOSED)
    response = carol.get(url(conversation))
    assert b"This conversation is closed" in response.content
    assert b'name="message"' not in response.content
    assert reverse("portal:new").encode() in response.content


def test_reply_to_closed_conversation_is_refused(carol, conversation, agent):
    actions.change_status(conversation=conversation, actor=agent, status=Status.CLOSED)
    response = carol.post(url(conversation), {"message": "Hello?"})
    assert b"This conversation is closed. Please start a new one." in response.content
    assert not conversation.messages.filter(body_text="Hello?").exists()
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED


def test_merged_conversation_redirects_to_where_it_was_merged(carol, customer, conversation, agent):
    duplicate = actions.open_conversation(customer=customer, subject="Lamp again", body="Hi")
    actions.merge(source=duplicate, target=conversation, actor=agent)
    assert carol.get(url(duplicate)).url == url(conversation)
    page = carol.get(url(conversation))
    assert "Your earlier conversation “Lamp again” was joined".encode() in page.content


def test_reply_to_a_merged_conversation_lands_in_the_one_it_joined(
    carol, customer, conversation, agent
):
    duplicate = actions.open_conversation(customer=customer, subject="Lamp again", body="Hi")
    actions.merge(source=duplicate, target=conversation, actor=agent)
    response = carol.post(url(duplicate), {"message": "Written on the old page"})
    assert response.url == url(conversation)
    assert conversation.messages.filter(body_text="Written on the old page").exists()


@pytest.mark.parametrize("who", ["agent", "admin", "employee"])
def test_staff_are_sent_to_the_desk(client, who, request, conversation):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(conversation)).url == reverse("home")


def test_anonymous_visitor_is_asked_to_sign_in_and_comes_back(client, conversation):
    response = client.get(url(conversation))
    assert response.url == f"{reverse('portal:login')}?next={url(conversation)}"
    login_page = client.get(response.url)
    assert f'name="next" value="{url(conversation)}"'.encode() in login_page.content
