import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Attachment


def attach(
    conversation,
    author,
    name="report.html",
    data=b"<script>alert(1)</script>",
    content_type="text/html",
    note=False,
) -> Attachment:
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    add = actions.add_note if note else actions.add_reply
    message = add(conversation=conversation, author=author, body="file", files=[upload])
    return message.attachments.get()


def url(attachment) -> str:
    return reverse("attachment", args=[attachment.pk])


def test_staff_download_is_an_attachment_with_safe_headers(signed_in, agent, conversation):
    attachment = attach(conversation, agent)
    response = signed_in(agent).get(url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert response["Content-Disposition"] == 'attachment; filename="report.html"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("content_type", ["image/png", "image/jpeg"])
def test_safe_image_types_keep_their_type(signed_in, agent, conversation, content_type):
    attachment = attach(conversation, agent, "photo", b"img", content_type)
    assert signed_in(agent).get(url(attachment))["Content-Type"] == content_type


def test_svg_is_served_as_plain_bytes(signed_in, agent, conversation):
    attachment = attach(conversation, agent, "logo.svg", b"<svg/>", "image/svg+xml")
    assert signed_in(agent).get(url(attachment))["Content-Type"] == "application/octet-stream"


def test_filenames_are_quoted_safely(signed_in, agent, conversation):
    attachment = attach(conversation, agent, 'a"b\r\nSet-Cookie: x.txt')
    Attachment.objects.filter(pk=attachment.pk).update(filename='a"b\r\nSet-Cookie: x.txt')
    response = signed_in(agent).get(url(attachment))
    assert response["Content-Disposition"] == 'attachment; filename="a\\"bSet-Cookie: x.txt"'


def test_unicode_filenames_use_the_encoded_form(signed_in, agent, conversation):
    attachment = attach(conversation, agent, "reçu.pdf")
    response = signed_in(agent).get(url(attachment))
    assert "filename*=utf-8''re%C3%A7u.pdf" in response["Content-Disposition"]


def test_owning_customer_can_download_a_reply_attachment(signed_in, agent, customer, conversation):
    attachment = attach(conversation, agent)
    assert signed_in(customer.user).get(url(attachment)).status_code == 200


def test_another_customer_gets_404(signed_in, agent, other_customer, conversation):
    attachment = attach(conversation, agent)
    assert signed_in(other_customer.user).get(url(attachment)).status_code == 404


def test_customer_cannot_download_from_an_internal_note(signed_in, agent, customer, conversation):
    attachment = attach(conversation, agent, note=True)
    assert signed_in(customer.user).get(url(attachment)).status_code == 404


def test_employee_outside_the_team_gets_404(signed_in, agent, employee, conversation):
    attachment = attach(conversation, agent)
    assert signed_in(employee).get(url(attachment)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, agent, conversation):
    attachment = attach(conversation, agent)
    response = client.get(url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_file_missing_from_storage_is_a_404_not_a_crash(signed_in, agent, conversation):
    attachment = attach(conversation, agent)
    attachment.file.delete(save=False)
    assert signed_in(agent).get(url(attachment)).status_code == 404
