"""Messages of a conversation and their attachments."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from everydesk.conversations.models import Attachment, Channel, Message, MessageKind, Status


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int = Field(description="Bytes.")
    content_type: str
    url: str = Field(description="Download link; it checks the same access as the API.")

    @staticmethod
    def resolve_url(attachment: Attachment) -> str:
        return f"/files/{attachment.pk}/"


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

    @staticmethod
    def resolve_body(message: Message) -> str:
        return message.body_text

    @staticmethod
    def resolve_html(message: Message) -> str:
        return message.body_html


class MessagePage(Schema):
    items: list[MessageOut]
    next: str | None


class MessageIn(Schema):
    """Staff send a reply (mailed to the customer) or an internal note. With a customer's
    token the message is always the customer's own, and `note` is refused."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["reply", "note"] = "reply"
    body: str
    status: Status | None = Field(None, description="Staff only: the status to set with it.")
