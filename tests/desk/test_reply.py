from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import (
    Event,
    EventType,
    Macro,
    Message,
    MessageKind,
    Status,
    Tag,
)


def reply_url(conversation) -> str:
    return reverse("desk:reply", args=[conversation.pk])


def replies(conversation):
    return Message.objects.filter(conversation=conversation, kind=MessageKind.REPLY)


def test_agent_reply_is_stored_mailed_and_redirects_back(
    signed_in, agent, conversation, django_capture_on_commit_callbacks
):
    client = signed_in(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reply_url(conversation), {"body": "We will send a new lamp."})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:conversation", args=[conversation.pk])
    reply = replies(conversation).get()
    assert reply.body_text == "We will send a new lamp."
    assert reply.author_user == agent
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
    assert "Reply sent." in client.get(response["Location"]).content.decode()


def test_reply_can_set_the_status(signed_in, agent, conversation):
    signed_in(agent).post(reply_url(conversation), {"body": "Done.", "status": Status.SOLVED})
    conversation.refresh_from_db()
    assert conversation.status == Status.SOLVED


def test_reply_keeps_its_attachments(signed_in, agent, conversation):
    files = [
        SimpleUploadedFile("label.pdf", b"%PDF-1.4", content_type="application/pdf"),
        SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png"),
    ]
    signed_in(agent).post(
        reply_url(conversation), {"body": "Return label attached.", "attachments": files}
    )
    names = sorted(replies(conversation).get().attachments.values_list("filename", flat=True))
    assert names == ["label.pdf", "photo.png"]


def test_empty_reply_keeps_nothing_and_says_why(signed_in, agent, conversation):
    response = signed_in(agent).post(reply_url(conversation), {"body": "   \n "})
    assert response.status_code == 400
    assert "The reply is empty." in response.content.decode()
    assert not replies(conversation).exists()
    conversation.refresh_from_db()
    assert conversation.status == Status.NEW


def test_refused_reply_keeps_what_the_agent_typed(signed_in, agent, conversation, settings):
    settings.ATTACHMENTS_PER_MESSAGE = 1
    files = [SimpleUploadedFile(f"f{n}.txt", b"x") for n in range(2)]
    response = signed_in(agent).post(
        reply_url(conversation),
        {"body": "A long answer I do not want to lose", "attachments": files},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "At most 1 attachments per message." in html
    assert "Please attach your files again." in html
    assert "A long answer I do not want to lose</textarea>" in html
    assert not replies(conversation).exists()


def test_reply_to_a_merged_conversation_is_refused_with_the_reason(
    signed_in, agent, customer, conversation, open_for
):
    target = open_for(customer, "Main")
    actions.merge(source=conversation, target=target, actor=agent)
    response = signed_in(agent).post(reply_url(conversation), {"body": "Hello?"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"merged into #{target.pk}; work there." in html
    assert "Hello?</textarea>" in html
    assert not replies(target).exists()


def test_htmx_reply_returns_the_updated_conversation_block(signed_in, agent, conversation):
    response = signed_in(agent).post(
        reply_url(conversation), {"body": "Quick answer"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="conversation"' in html and "<html" not in html
    assert "Quick answer" in html and "Reply sent." in html


def test_htmx_refusal_is_swapped_in_with_the_message(signed_in, agent, conversation):
    response = signed_in(agent).post(reply_url(conversation), {"body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "The reply is empty." in response.content.decode()
    assert not replies(conversation).exists()


def test_reply_with_a_macro_applies_its_status_tags_and_audit_event(signed_in, agent, conversation):
    macro = Macro.objects.create(
        name="Refund sent", body="Hi {customer.first_name}", set_status=Status.SOLVED
    )
    macro.add_tags.add(Tag.objects.create(name="refund"))
    signed_in(agent).post(
        reply_url(conversation), {"body": "Hi Carol, refunded today.", "macro": macro.pk}
    )
    assert replies(conversation).get().body_text == "Hi Carol, refunded today."
    conversation.refresh_from_db()
    assert conversation.status == Status.SOLVED
    assert list(conversation.tags.values_list("name", flat=True)) == ["refund"]
    event = Event.objects.get(conversation=conversation, type=EventType.MACRO_APPLIED)
    assert event.data == {"macro": "Refund sent"} and event.actor == agent


def test_agents_status_choice_wins_over_the_macros(signed_in, agent, conversation):
    macro = Macro.objects.create(name="Solve", body="Done", set_status=Status.SOLVED)
    signed_in(agent).post(
        reply_url(conversation),
        {"body": "Done, but tell me", "macro": macro.pk, "status": Status.PENDING},
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.PENDING


def test_employee_outside_the_team_cannot_reply(signed_in, employee, conversation):
    response = signed_in(employee).post(reply_url(conversation), {"body": "Sneaky"})
    assert response.status_code == 404
    assert not replies(conversation).exists()


def test_customer_cannot_post_through_the_desk(signed_in, customer, conversation):
    response = signed_in(customer.user).post(reply_url(conversation), {"body": "From the desk?"})
    assert response.status_code == 404
    assert not replies(conversation).exists()


def test_anonymous_post_is_sent_to_sign_in(client, conversation):
    response = client.post(reply_url(conversation), {"body": "Hi"})
    assert response.status_code == 302
    assert not replies(conversation).exists()


def test_reply_needs_post(signed_in, agent, conversation):
    assert signed_in(agent).get(reply_url(conversation)).status_code == 405


def test_staff_who_may_see_but_not_work_get_404_on_post(
    signed_in, employee, agent, billing, conversation, monkeypatch
):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    monkeypatch.setattr("everydesk.conversations.access.can_work", lambda user, conversation: False)
    client = signed_in(employee)
    assert client.get(reverse("desk:conversation", args=[conversation.pk])).status_code == 200
    assert client.post(reply_url(conversation), {"body": "Let me"}).status_code == 404
    assert not replies(conversation).exists()
