"""What the product mails, and when. Each function queues one mail after commit."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from everydesk.conversations.models import Conversation, Message


def _queue(name: str, to: str, context: dict[str, str]) -> None:
    from everydesk.mail.tasks import send_mail

    transaction.on_commit(lambda: send_mail(name, to, context))


def _portal_url(conversation: Conversation) -> str:
    return settings.BASE_URL + reverse("portal:conversation", args=[conversation.pk])


def reply_to_customer(message: Message) -> None:
    conversation = message.conversation
    _queue(
        "reply",
        conversation.customer.email,
        {
            "first_name": conversation.customer.first_name,
            "subject": conversation.subject,
            "reference": conversation.reference,
            "body": message.body_text,
            "author": message.author_name,
            "url": _portal_url(conversation),
        },
    )


def conversation_received(conversation: Conversation) -> None:
    _queue(
        "received",
        conversation.customer.email,
        {
            "first_name": conversation.customer.first_name,
            "subject": conversation.subject,
            "reference": conversation.reference,
            "url": _portal_url(conversation),
        },
    )


def portal_login_link(email: str, url: str, minutes: int) -> None:
    _queue("login_link", email, {"url": url, "minutes": str(minutes)})
