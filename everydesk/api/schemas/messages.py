"""Messages of a conversation and their attachments."""

import datetime as dt
from typing import Any, Literal

from django.db.models import prefetch_related_objects
from ninja import Field, Schema
from pydantic import ConfigDict

from everydesk.api.auth import caller
from everydesk.api.schemas.listening import VoiceScores
from everydesk.conversations.models import Attachment, Channel, Message, MessageKind, Status
from everydesk.listening.models import Voice
from everydesk.mail.delivery_status import status as delivery_status
from everydesk.mail.models import Delivery, DeliveryState


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int = Field(description="Bytes.")
    content_type: str
    url: str = Field(description="Download link; it checks the same access as the API.")

    @staticmethod
    def resolve_url(attachment: Attachment) -> str:
        return f"/files/{attachment.pk}/"


class DeliveryOut(Schema):
    """How the mail of a reply is doing. Read-only; staff only."""

    state: DeliveryState
    summary: str = Field(description='As the desk shows it, e.g. "Sent 10:42".')
    to: str
    attempts: int
    last_error: str = Field(description="The mail server's last answer; empty once sent.")
    next_attempt_at: dt.datetime | None = Field(description="When it is tried again.")
    sent_at: dt.datetime | None

    @staticmethod
    def resolve_summary(delivery: Delivery) -> str:
        return delivery_status(delivery).text


class MessageOut(Schema):
    id: int
    conversation_id: int
    kind: MessageKind
    body: str
    html: str = Field(description="Sanitised HTML, empty when the message was plain text.")
    author_name: str
    author_user_id: int | None = Field(description="Set when staff wrote it.")
    author_customer_id: int | None = Field(description="Set when the customer wrote it.")
    channel: Channel
    created_at: dt.datetime
    attachments: list[AttachmentOut]
    delivery: DeliveryOut | None = Field(
        description="Replies only, for staff: the email to the customer and its state."
    )
    scores: VoiceScores | None = Field(
        description="Customer messages only, for staff: what listening read in it; null "
        "until scored (moments after it arrives)."
    )

    @staticmethod
    def resolve_scores(message: Message, context: dict[str, Any] | None) -> Voice | None:
        if message.kind != MessageKind.CUSTOMER or not _for_staff(context):
            return None
        try:
            voice = message.voice
        except Voice.DoesNotExist:
            return None
        return voice if voice.is_scored else None

    @staticmethod
    def resolve_body(message: Message) -> str:
        return message.body_text

    @staticmethod
    def resolve_html(message: Message) -> str:
        return message.body_html

    @staticmethod
    def resolve_delivery(message: Message, context: dict[str, Any] | None) -> Delivery | None:
        if message.kind != MessageKind.REPLY or not _for_staff(context):
            return None
        # all(), not a query of its own, so MessagePage's prefetch serves a whole page.
        deliveries = list(message.deliveries.all())
        return max(deliveries, key=lambda d: d.pk) if deliveries else None


def _for_staff(context: dict[str, Any] | None) -> bool:
    request = (context or {}).get("request")
    return request is not None and caller(request).is_staff_member


class MessagePage(Schema):
    items: list[MessageOut]
    next: str | None

    @staticmethod
    def resolve_items(page: dict[str, Any], context: dict[str, Any] | None) -> list[Message]:
        # Deliveries are staff-only, so only staff pay the one query that reads them.
        if _for_staff(context):
            prefetch_related_objects(page["items"], "deliveries")
        return page["items"]


class MessageIn(Schema):
    """Staff send a reply (mailed to the customer) or an internal note. With a customer's
    token the message is always the customer's own, and `note` is refused."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["reply", "note"] = "reply"
    body: str
    status: Status | None = Field(None, description="Staff only: the status to set with it.")
