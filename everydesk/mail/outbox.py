"""What the product mails, and when. Each function queues one mail after commit.

Mail about a conversation becomes a Delivery row in the caller's transaction, so the
agent sees it as queued at once and it is sent only if everything else was kept.
"""

from django.db import transaction
from django.utils import timezone

from everydesk.conversations.models import Conversation, Message
from everydesk.mail import outbound_headers, tokens
from everydesk.mail.models import Delivery, InboundEmail, Mailbox


def reply_to_customer(message: Message) -> None:
    """An agent's public reply, mailed to the conversation's customer."""
    _queue(_delivery(message.conversation, "reply", message=message))


def conversation_received(
    conversation: Conversation, *, answering: InboundEmail | None = None
) -> None:
    """The acknowledgement; it answers `answering`, the email that opened it, if any.

    Whether to acknowledge at all (history, robots, mailbox settings) is the caller's call.
    """
    mailbox = answering.mailbox if answering is not None else None
    _queue(_delivery(conversation, "received", mailbox=mailbox))


def portal_login_link(email: str, url: str, minutes: int) -> None:
    # Not about a conversation, so no Delivery: huey's own retries are enough for a link
    # that expires in minutes anyway.
    from everydesk.mail.tasks import send_mail

    context = {"url": url, "minutes": str(minutes)}
    transaction.on_commit(lambda: send_mail("login_link", email, context))


def _delivery(
    conversation: Conversation,
    template: str,
    *,
    message: Message | None = None,
    mailbox: Mailbox | None = None,
) -> Delivery:
    sender = outbound_headers.sender_for(conversation, mailbox=mailbox)
    now = timezone.now()
    return Delivery.objects.create(
        conversation=conversation,
        message=message,
        template=template,
        to=conversation.customer.email,
        header_id=tokens.new_header_id(conversation.pk, sender.domain),
        created_at=now,
        next_attempt_at=now,
    )


def _queue(delivery: Delivery) -> None:
    from everydesk.mail.tasks import deliver

    transaction.on_commit(lambda: deliver(delivery.pk))
