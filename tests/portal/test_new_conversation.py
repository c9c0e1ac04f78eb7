"""Starting a conversation from the portal."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.conversations.models import Attachment, Channel, Conversation, Message

URL = reverse("portal:new")


def form(**changes):
    return {
        "kind": "complaint",
        "subject": "Wrong size",
        "message": "I ordered M, got XL.",
        **changes,
    }


def upload(name="photo.jpg", size=10):
    return SimpleUploadedFile(name, b"x" * size, content_type="image/jpeg")


def test_form_offers_the_four_kinds_and_shows_the_attachment_limit(client, customer, settings):
    settings.ATTACHMENTS_PER_MESSAGE = 3
    client.force_login(customer.user)
    response = client.get(URL)
    for kind in (b"complaint", b"praise", b"question", b"idea"):
        assert b'value="' + kind + b'"' in response.content
    assert b"Up to 3 files, 10 MB each" in response.content


def test_customer_starts_a_conversation_with_attachments(client, customer):
    client.force_login(customer.user)
    response = client.post(URL, {**form(), "attachments": [upload("a.jpg"), upload("b.jpg")]})
    conversation = Conversation.objects.get()
    assert response.url == reverse("portal:conversation", args=[conversation.pk])
    assert (conversation.customer, conversation.kind, conversation.channel) == (
        customer,
        "complaint",
        Channel.PORTAL,
    )
    assert conversation.messages.get().body_text == "I ordered M, got XL."
    assert sorted(Attachment.objects.values_list("filename", flat=True)) == ["a.jpg", "b.jpg"]


def test_too_many_attachments_are_refused_and_nothing_is_created(client, customer, settings):
    settings.ATTACHMENTS_PER_MESSAGE = 1
    client.force_login(customer.user)
    response = client.post(URL, {**form(), "attachments": [upload("a.jpg"), upload("b.jpg")]})
    assert response.status_code == 200
    assert b"At most 1 attachments per message." in response.content
    assert b"I ordered M, got XL." in response.content  # what they typed is kept
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_too_large_attachment_is_refused(client, customer, settings):
    settings.ATTACHMENT_MAX_BYTES = 5
    client.force_login(customer.user)
    response = client.post(URL, {**form(), "attachments": [upload("big.jpg", size=6)]})
    assert b"big.jpg is larger than" in response.content
    assert not Conversation.objects.exists()


def test_missing_fields_are_explained(client, customer):
    client.force_login(customer.user)
    response = client.post(URL, form(kind="", message=""))
    assert b"Please choose what this is about." in response.content
    assert b"Please write your message." in response.content
    assert not Conversation.objects.exists()


def test_unknown_kind_is_refused(client, customer):
    client.force_login(customer.user)
    client.post(URL, form(kind="other"))
    assert not Conversation.objects.exists()


def test_staff_cannot_use_the_portal_form(client, agent):
    client.force_login(agent)
    assert client.post(URL, form()).url == reverse("home")
    assert not Conversation.objects.exists()


def test_anonymous_cannot_post(client, db):
    assert client.post(URL, form()).status_code == 302
    assert not Conversation.objects.exists()
