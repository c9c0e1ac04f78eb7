"""The thread: GET and POST /conversations/{id}/messages, and the multipart twin for files."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from everydesk.conversations import actions
from everydesk.conversations.models import Channel, Message, MessageKind, Status
from tests.api.conftest import BASE, error_of


def kinds(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["kind"] for item in response.json()["items"]]


def test_staff_see_the_whole_thread_oldest_first(api, agent, conversation):
    actions.add_reply(conversation=conversation, author=agent, body="Sorry to hear that.")
    actions.add_note(conversation=conversation, author=agent, body="Courier's fault.")
    response = api.get(f"/conversations/{conversation.pk}/messages", agent)
    assert kinds(response) == ["customer", "reply", "note"]
    first, reply, _ = response.json()["items"]
    assert (first["author_name"], first["author_customer_id"]) == (
        "Carol Jones",
        conversation.customer_id,
    )
    assert (reply["author_name"], reply["author_user_id"]) == ("Alice", agent.pk)


def test_customers_never_see_notes(api, agent, customer, conversation):
    actions.add_note(conversation=conversation, author=agent, body="Courier's fault.")
    assert kinds(api.get(f"/conversations/{conversation.pk}/messages", customer)) == ["customer"]


def test_customer_cannot_read_another_customers_messages(api, customer, other_conversation):
    response = api.get(f"/conversations/{other_conversation.pk}/messages", customer)
    assert response.status_code == 404
    assert "Oscar" not in response.content.decode()


def test_pages_walk_the_thread_once(api, agent, conversation):
    for number in range(24):
        actions.add_note(conversation=conversation, author=agent, body=f"note {number}")
    seen, cursor = [], None
    while True:
        params = {"limit": 10, **({"after": cursor} if cursor else {})}
        body = api.get(f"/conversations/{conversation.pk}/messages", agent, **params).json()
        seen += [item["id"] for item in body["items"]]
        if not (cursor := body["next"]):
            break
    assert seen == list(
        conversation.messages.order_by("created_at", "id").values_list("id", flat=True)
    )
    assert len(seen) == 25


def test_staff_reply_is_mailed_and_can_set_the_status(
    api, agent, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/conversations/{conversation.pk}/messages",
            agent,
            {"body": "A new lamp is on its way.", "status": "solved"},
        )
    assert response.status_code == 201
    assert response.json()["kind"] == "reply"
    conversation.refresh_from_db()
    assert conversation.status == Status.SOLVED
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]


def test_staff_note_stays_internal(api, agent, conversation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/conversations/{conversation.pk}/messages",
            agent,
            {"kind": "note", "body": "Check the courier.", "status": "pending"},
        )
    assert response.status_code == 201
    assert Message.objects.get(pk=response.json()["id"]).kind == MessageKind.NOTE
    conversation.refresh_from_db()
    assert conversation.status == Status.PENDING
    assert mail.outbox == []


def test_customer_message_is_always_the_customers_own(api, customer, conversation):
    response = api.post(
        f"/conversations/{conversation.pk}/messages", customer, {"body": "Any news?"}
    )
    assert response.status_code == 201
    message = Message.objects.get(pk=response.json()["id"])
    assert (message.kind, message.author_customer, message.channel) == (
        MessageKind.CUSTOMER,
        customer,
        Channel.API,
    )


def test_customer_cannot_write_a_note_or_set_the_status(api, customer, conversation):
    for data in ({"kind": "note", "body": "x"}, {"body": "x", "status": "closed"}):
        response = api.post(f"/conversations/{conversation.pk}/messages", customer, data)
        assert response.status_code == 403
        assert error_of(response)["code"] == "forbidden"
    assert conversation.messages.count() == 1


def test_customer_cannot_write_to_another_customers_conversation(api, customer, other_conversation):
    response = api.post(
        f"/conversations/{other_conversation.pk}/messages", customer, {"body": "Let me in"}
    )
    assert response.status_code == 404
    assert other_conversation.messages.count() == 1


def test_employee_cannot_write_outside_their_teams(api, employee, conversation):
    response = api.post(f"/conversations/{conversation.pk}/messages", employee, {"body": "Hi"})
    assert response.status_code == 404


def test_files_are_attached_through_multipart(client, api, agent, conversation):
    response = client.post(
        f"{BASE}/conversations/{conversation.pk}/messages/multipart",
        {
            "kind": "note",
            "body": "Photo of the box",
            "files": [SimpleUploadedFile("box.jpg", b"\xff\xd8 jpeg", content_type="image/jpeg")],
        },
        headers={"Authorization": f"Bearer {api.token(agent)}"},
    )
    assert response.status_code == 201, response.content
    attachment = Message.objects.get(pk=response.json()["id"]).attachments.get()
    assert response.json()["attachments"] == [
        {
            "id": attachment.pk,
            "filename": "box.jpg",
            "size": 7,
            "content_type": "image/jpeg",
            "url": f"/files/{attachment.pk}/",
        }
    ]
    listed = api.get(f"/conversations/{conversation.pk}/messages", agent).json()["items"]
    assert listed[-1]["attachments"][0]["filename"] == "box.jpg"


def test_too_many_files_are_refused(client, api, customer, conversation, settings):
    settings.ATTACHMENTS_PER_MESSAGE = 1
    files = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(2)]
    response = client.post(
        f"{BASE}/conversations/{conversation.pk}/messages/multipart",
        {"body": "Two files", "files": files},
        headers={"Authorization": f"Bearer {api.token(customer)}"},
    )
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "attachments"


def test_thread_is_a_fixed_number_of_queries(api, agent, conversation, django_assert_num_queries):
    for number in range(10):
        actions.add_reply(
            conversation=conversation,
            author=agent,
            body=f"reply {number}",
            files=[SimpleUploadedFile("a.txt", b"a")],
        )
    api.get("/me", agent)
    # token, conversation, messages with authors, attachments, deliveries (staff only)
    with django_assert_num_queries(5):
        api.get(f"/conversations/{conversation.pk}/messages", agent)
