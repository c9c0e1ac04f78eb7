"""The email a Delivery stands for: templates, addresses, threading headers, attachments.

Built afresh on every attempt from what is stored, so the queue carries only a
delivery id and a retry sends the same Message-ID, subject and headers.
"""

import re
from email import encoders
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from everydesk.conversations.models import Attachment, Conversation
from everydesk.mail import matching, outbound_headers, tokens
from everydesk.mail.compose import compose
from everydesk.mail.models import Delivery

# RFC 3834: we answer automatically, so other robots must not answer us. The second
# header asks Exchange/Outlook not to send out-of-office replies to it either.
AUTO_REPLY_HEADERS = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}

_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&.+^_-]*/[a-z0-9][a-z0-9!#$&.+^_-]*$")


def build(delivery: Delivery) -> EmailMultiAlternatives:
    conversation = delivery.conversation
    sender = outbound_headers.sender_for(conversation)
    thread = outbound_headers.thread_ids(delivery)
    extra = {"Message-ID": f"<{delivery.header_id}>", **thread.as_headers()}
    if delivery.template == "received":
        extra.update(AUTO_REPLY_HEADERS)
    email = compose(
        delivery.template,
        to=delivery.to,
        context=_context(delivery, answering=bool(thread.in_reply_to)),
        from_email=sender.from_header,
        reply_to=[sender.reply_to(conversation.pk)],
        headers=extra,
    )
    email.subject = tokens.with_subject_token(str(email.subject), conversation.pk)
    if delivery.message is not None:
        for attachment in delivery.message.attachments.order_by("pk"):
            email.attach(_mime_part(attachment))
    return email


def _context(delivery: Delivery, *, answering: bool) -> dict[str, Any]:
    conversation = delivery.conversation
    context: dict[str, Any] = {
        "first_name": conversation.customer.first_name,
        # Any "Re:" or "[#12]" it carries would repeat: the template and the token add them.
        "subject": matching.clean_subject(conversation.subject) or conversation.subject,
        "reference": conversation.reference,
        "url": portal_url(conversation),
        "answering": answering,
    }
    if delivery.message is not None:
        context["body"] = delivery.message.body_text
        context["author"] = delivery.message.author_name
    return context


def portal_url(conversation: Conversation) -> str:
    return settings.BASE_URL + reverse("portal:conversation", args=[conversation.pk])


def _mime_part(attachment: Attachment) -> MIMEBase:
    """Base64 whatever the type, so the customer gets the very bytes the agent attached
    (Django would re-encode text and re-parse message/rfc822 attachments)."""
    content_type = attachment.content_type.lower()
    if not _MIME_TYPE.match(content_type) or content_type.startswith(("message/", "multipart/")):
        # Composite types may not be base64-encoded (RFC 2046); send them as plain bytes.
        content_type = "application/octet-stream"
    part = MIMEBase(*content_type.split("/", 1))
    with attachment.file.open("rb") as stored:
        part.set_payload(stored.read())
    encoders.encode_base64(part)
    filename = attachment.filename or "attachment"
    part.add_header("Content-Disposition", "attachment", filename=_rfc2231(filename))
    return part


def _rfc2231(filename: str) -> str | tuple[str, str, str]:
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        return ("utf-8", "", filename)
    return filename
