from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Message, MessageKind


def note_url(conversation) -> str:
    return reverse("desk:note", args=[conversation.pk])


def notes(conversation):
    return Message.objects.filter(conversation=conversation, kind=MessageKind.NOTE)


def test_agent_adds_an_internal_note_that_is_never_mailed(
    signed_in, agent, conversation, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("courier.txt", b"tracking 123", content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(agent).post(
            note_url(conversation), {"body": "Courier admits fault.", "attachments": [upload]}
        )
    assert response.status_code == 302
    note = notes(conversation).get()
    assert note.body_text == "Courier admits fault."
    assert note.attachments.get().filename == "courier.txt"
    assert mail.outbox == []


def test_empty_note_keeps_nothing_and_says_why(signed_in, agent, conversation):
    response = signed_in(agent).post(note_url(conversation), {"body": ""})
    assert response.status_code == 400
    assert "The note is empty." in response.content.decode()
    assert not notes(conversation).exists()


def test_htmx_note_returns_the_block_with_the_note(signed_in, agent, conversation):
    response = signed_in(agent).post(
        note_url(conversation), {"body": "Ring them"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Ring them" in html and "Internal note added." in html


def test_employee_on_the_team_can_add_a_note(signed_in, employee, agent, billing, conversation):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    signed_in(employee).post(note_url(conversation), {"body": "Billing had a look."})
    assert notes(conversation).get().author_user == employee


def test_employee_outside_the_team_cannot_add_a_note(signed_in, employee, conversation):
    response = signed_in(employee).post(note_url(conversation), {"body": "Hmm"})
    assert response.status_code == 404
    assert not notes(conversation).exists()


def test_customer_cannot_add_a_note(signed_in, customer, conversation):
    assert signed_in(customer.user).post(note_url(conversation), {"body": "x"}).status_code == 404
    assert not notes(conversation).exists()
