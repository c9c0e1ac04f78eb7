"""The thread of a conversation: read it, and add to it.

Staff reply (mailed to the customer) or note (internal). A customer's token
always writes as that customer. Files go through the multipart twin of the
JSON endpoint, since one request body cannot be both.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile as NinjaUploadedFile

from everydesk.accounts.models import User
from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.messages import MessageIn, MessageOut, MessagePage
from everydesk.api.schemas.pagination import PageQuery
from everydesk.conversations import access, actions
from everydesk.conversations.models import Channel, Conversation, Message
from everydesk.lib.keyset import paginate

router = Router(tags=["messages"])

OLDEST_FIRST = ("created_at", "id")


@router.get(
    "/{conversation_id}/messages", response={200: MessagePage, **errors(400, 401, 404, 422)}
)
def list_messages(request: HttpRequest, conversation_id: int, query: Query[PageQuery]) -> dict:
    """The thread, oldest first. Internal notes are never shown to customers."""
    user = caller(request)
    conversation = access.get_conversation_for(user, conversation_id)
    messages = (
        access.visible_messages(user, conversation)
        .select_related("author_user", "author_customer")
        .prefetch_related("attachments")
    )
    if user.is_staff_member:
        # Listening scores are staff-only; read in the same query as the messages.
        messages = messages.select_related("voice__topic")
    page = paginate(messages, fields=OLDEST_FIRST, after=query.after, limit=query.limit)
    return {"items": page.items, "next": page.next_cursor}


def _as_customer(
    user: User, conversation: Conversation, payload: MessageIn, files: Sequence[UploadedFile]
) -> Message:
    if payload.kind == "note":
        raise PermissionDenied("Only staff can write internal notes.")
    if payload.status is not None:
        raise PermissionDenied("Only staff can set the status.")
    customer = access.customer_of(user)
    if customer is None or customer.pk != conversation.customer_id:
        raise PermissionDenied("Only the conversation's customer can write to it.")
    return actions.add_customer_message(
        conversation=conversation,
        customer=customer,
        body=payload.body,
        channel=Channel.API,
        files=files,
    )


def _as_staff(
    user: User, conversation: Conversation, payload: MessageIn, files: Sequence[UploadedFile]
) -> Message:
    if not access.can_work(user, conversation):
        raise PermissionDenied("You cannot work on this conversation.")
    if payload.kind == "reply":
        return actions.add_reply(
            conversation=conversation,
            author=user,
            body=payload.body,
            files=files,
            status=payload.status,
        )
    # A note with a status is two things that happened; both or neither are kept.
    with transaction.atomic():
        note = actions.add_note(
            conversation=conversation, author=user, body=payload.body, files=files
        )
        if payload.status is not None:
            actions.change_status(conversation=conversation, actor=user, status=payload.status)
    return note


def _post(
    request: HttpRequest, conversation_id: int, payload: MessageIn, files: Sequence[UploadedFile]
) -> Status[Message]:
    user = caller(request)
    conversation = access.get_conversation_for(user, conversation_id)
    write = _as_staff if user.is_staff_member else _as_customer
    return Status(201, write(user, conversation, payload, files))


@router.post(
    "/{conversation_id}/messages",
    response={201: MessageOut, **errors(400, 401, 403, 404, 409, 422)},
)
def add_message(request: HttpRequest, conversation_id: int, payload: MessageIn) -> Status[Message]:
    """Staff: a reply (mailed to the customer) or an internal note. Customer: their own message."""
    return _post(request, conversation_id, payload, ())


@router.post(
    "/{conversation_id}/messages/multipart",
    response={201: MessageOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def add_message_with_files(
    request: HttpRequest,
    conversation_id: int,
    payload: Form[MessageIn],
    files: File[list[NinjaUploadedFile]] = None,  # type: ignore[assignment]
) -> Status[Message]:
    """The same as POST .../messages, sent as multipart/form-data with files in `files`."""
    return _post(request, conversation_id, payload, files or ())
