"""Every write to a conversation. Views and the API call these and nothing else.

Each action is keyword-only, runs in one transaction, records a timeline
event, and queues its side effects (mail, later webhooks) to run only after
the transaction commits.
"""

import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import Team, User
from everydesk.conversations import events, lifecycle, search
from everydesk.conversations.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    Conversation,
    Kind,
    Macro,
    Message,
    MessageKind,
    Priority,
    Status,
    Tag,
)
from everydesk.customers.models import Customer
from everydesk.lib import direct_sql
from everydesk.lib.errors import ActionError
from everydesk.lib.placeholders import fill
from everydesk.lib.sanitise import clean_html
from everydesk.listening import intake
from everydesk.mail import outbox

MAX_SUBJECT = 255


def _check_text(body: str, *, what: str = "message") -> str:
    body = (body or "").strip()
    if not body:
        raise ActionError(f"The {what} is empty.", field="body")
    return body


def _check_attachments(files: Sequence[UploadedFile]) -> None:
    if len(files) > settings.ATTACHMENTS_PER_MESSAGE:
        raise ActionError(
            f"At most {settings.ATTACHMENTS_PER_MESSAGE} attachments per message.",
            field="attachments",
        )
    limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    for upload in files:
        if (upload.size or 0) > settings.ATTACHMENT_MAX_BYTES:
            raise ActionError(
                f"{upload.name} is larger than the {limit_mb} MB limit.", field="attachments"
            )


def _store_attachments(message: Message, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        attachment = Attachment(
            message=message,
            token=secrets.token_hex(16),
            filename=(upload.name or "attachment")[:255],
            content_type=(upload.content_type or "application/octet-stream")[:100],
            size=upload.size or 0,
            content_id=getattr(upload, "content_id", "")[:255],
        )
        attachment.file.save(attachment.token, upload, save=False)
        direct_sql.insert(attachment)


def _lock(conversation: Conversation) -> Conversation:
    """Re-read the row under a lock so concurrent changes apply one after another."""
    return (
        # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
        Conversation.objects.select_for_update(of=("self",))
        .select_related("customer", "assignee", "team")
        .get(pk=conversation.pk)
    )


def _refuse_if_merged(conversation: Conversation) -> None:
    if refusal := _refusal(conversation, None):
        raise refusal


def _refusal(conversation: Conversation, kind: MessageKind | None) -> ActionError | None:
    """Why this locked conversation takes no change (of a message of `kind`); None if it does."""
    if conversation.merged_into_id:
        return ActionError(
            f"This conversation was merged into #{conversation.merged_into_id}; work there.",
            code="conflict",
        )
    if kind == MessageKind.CUSTOMER and conversation.status == Status.CLOSED:
        return ActionError("This conversation is closed. Please start a new one.", code="conflict")
    return None


def _touch(conversation: Conversation, *fields: str) -> None:
    conversation.updated_at = timezone.now()
    # save(update_fields=...) in one statement built once: every message passes here.
    direct_sql.update(conversation, [*fields, "updated_at"])


def _add_message(
    conversation: Conversation,
    *,
    kind: MessageKind,
    body: str,
    html: str = "",
    user: User | None = None,
    customer: Customer | None = None,
    channel: str = Channel.PORTAL,
    files: Sequence[UploadedFile] = (),
) -> Message:
    message = Message(
        conversation=conversation,
        kind=kind,
        author_user=user,
        author_customer=customer,
        body_text=body,
        body_html=clean_html(html),
        channel=channel,
    )
    # Every reply and note passes here: an insert with SQL built once, not per call.
    direct_sql.insert(message)
    _store_attachments(message, files)
    if kind == MessageKind.CUSTOMER:
        # Scored moments later by one batched job (listening/intake.py).
        intake.record_message(message, conversation, customer)
    return message


def open_conversation(
    *,
    customer: Customer,
    subject: str,
    body: str,
    kind: str = Kind.QUESTION,
    channel: str = Channel.PORTAL,
    html: str = "",
    files: Sequence[UploadedFile] = (),
    priority: int = Priority.NORMAL,
    team: Team | None = None,
    opened_by: User | None = None,
) -> Conversation:
    """A customer (or staff on their behalf) raises something new."""
    subject = (subject or "").strip()[:MAX_SUBJECT] or body.strip().split("\n")[0][:80]
    body = _check_text(body)
    if kind not in Kind.values:
        raise ActionError(
            f"Unknown kind {kind!r}; use one of {', '.join(Kind.values)}.", field="kind"
        )
    _check_attachments(files)
    now = timezone.now()
    conversation = Conversation(
        customer=customer,
        subject=subject,
        kind=kind,
        channel=channel,
        priority=priority,
        team=team,
        created_at=now,
        updated_at=now,
        last_customer_message_at=now,
    )
    # Checked and built before the transaction: on SQLite the write lock is held from
    # its start to its end. Integrations push every ticket through here, so the rows
    # go in with SQL built once (lib/direct_sql) rather than compiled per insert.
    # Nothing is refused once inside, so it takes no savepoint of its own within a
    # caller's transaction (the API's, each imported email's): two round trips saved.
    with transaction.atomic(savepoint=False):
        direct_sql.insert(conversation)
        _add_message(
            conversation,
            kind=MessageKind.CUSTOMER,
            body=body,
            html=html,
            customer=customer,
            channel=channel,
            files=files,
        )
        search.start(conversation.pk, f"{subject}\n{body}")
        events.opened(conversation, opened_by)
        lifecycle.opened(conversation)
    return conversation


def _append(
    conversation: Conversation,
    *,
    kind: MessageKind,
    body: str,
    what: str,
    user: User | None = None,
    customer: Customer | None = None,
    html: str = "",
    channel: str = Channel.PORTAL,
    files: Sequence[UploadedFile] = (),
) -> tuple[Conversation, Message]:
    """Lock, check and store one more message; returns the locked row and the message."""
    body = _check_text(body, what=what)
    _check_attachments(files)
    conversation = _lock(conversation)
    if refusal := _refusal(conversation, kind):
        raise refusal
    return conversation, _store_message(
        conversation,
        kind=kind,
        body=body,
        html=html,
        user=user,
        customer=customer,
        channel=channel,
        files=files,
    )


def _store_message(conversation: Conversation, **message: Any) -> Message:
    stored = _add_message(conversation, **message)
    search.add_text(conversation.pk, stored.body_text)
    return stored


def add_customer_message(
    *,
    conversation: Conversation,
    customer: Customer,
    body: str,
    html: str = "",
    channel: str = Channel.PORTAL,
    files: Sequence[UploadedFile] = (),
) -> Message:
    """The customer writes again. Waiting or solved conversations reopen.

    Every imported reply passes here inside its email's own savepoint, so this takes
    none: it refuses before it writes and raises the refusal only once out of its
    atomic block, so a caller in a transaction can still catch it and carry on.
    """
    body = _check_text(body, what="message")
    _check_attachments(files)
    with transaction.atomic(savepoint=False):
        # Locked without the customer, assignee and team that _lock joins: nothing
        # here reads them, and each email reply pays for the query.
        locked = direct_sql.get_by(Conversation, "id", conversation.pk, for_update=True)
        if locked is None:
            raise Conversation.DoesNotExist(f"No conversation #{conversation.pk}.")
        conversation = locked
        refusal = _refusal(conversation, MessageKind.CUSTOMER)
        if refusal is None:
            message = _store_message(
                conversation,
                kind=MessageKind.CUSTOMER,
                body=body,
                html=html,
                customer=customer,
                channel=channel,
                files=files,
            )
            events.customer_message(conversation, message)
            conversation.last_customer_message_at = message.created_at
            fields = ["last_customer_message_at"]
            if conversation.status in (Status.PENDING, Status.SOLVED):
                fields += _set_status(conversation, None, Status.OPEN)
            _touch(conversation, *fields)
            lifecycle.customer_wrote(conversation, message)
    if refusal:
        raise refusal
    return message


@transaction.atomic
def add_reply(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    files: Sequence[UploadedFile] = (),
    status: str | None = None,
) -> Message:
    """A public answer to the customer, mailed to them after commit."""
    conversation, message = _append(
        conversation, kind=MessageKind.REPLY, body=body, what="reply", user=author, files=files
    )
    events.replied(conversation, author, message)
    fields = []
    if conversation.first_response_at is None:
        conversation.first_response_at = message.created_at
        fields.append("first_response_at")
    new_status = status or (Status.OPEN if conversation.status == Status.NEW else None)
    if new_status and new_status != conversation.status:
        fields += _set_status(conversation, author, new_status)
    _touch(conversation, *fields)
    lifecycle.replied(conversation, message)
    outbox.reply_to_customer(message)
    return message


@transaction.atomic
def add_note(
    *, conversation: Conversation, author: User, body: str, files: Sequence[UploadedFile] = ()
) -> Message:
    """An internal note: staff only, never shown or sent to the customer."""
    conversation, message = _append(
        conversation, kind=MessageKind.NOTE, body=body, what="note", user=author, files=files
    )
    events.note_added(conversation, author, message)
    _touch(conversation)
    return message


def _set_status(conversation: Conversation, actor: User | None, status: str) -> list[str]:
    if status not in Status.values:
        raise ActionError(
            f"Unknown status {status!r}; use one of {', '.join(Status.values)}.", field="status"
        )
    old = conversation.status
    events.status_changed(conversation, actor, old, status)
    conversation.status = status
    if status == Status.SOLVED:
        conversation.solved_at = timezone.now()
    elif status in OPEN_STATUSES:
        conversation.solved_at = None
    lifecycle.status_changed(conversation, actor, old, status)
    return ["status", "solved_at"]


@transaction.atomic
def change_status(*, conversation: Conversation, actor: User, status: str) -> Conversation:
    conversation = _lock(conversation)
    _refuse_if_merged(conversation)
    if status != conversation.status:
        _touch(conversation, *_set_status(conversation, actor, status))
    return conversation


@transaction.atomic
def change_priority(*, conversation: Conversation, actor: User, priority: int) -> Conversation:
    if priority not in Priority.values:
        raise ActionError("Priority must be 1 (urgent) to 4 (low).", field="priority")
    conversation = _lock(conversation)
    if priority != conversation.priority:
        events.priority_changed(conversation, actor, conversation.priority, priority)
        conversation.priority = priority
        _touch(conversation, "priority")
    return conversation


@transaction.atomic
def change_kind(*, conversation: Conversation, actor: User, kind: str) -> Conversation:
    if kind not in Kind.values:
        raise ActionError(
            f"Unknown kind {kind!r}; use one of {', '.join(Kind.values)}.", field="kind"
        )
    conversation = _lock(conversation)
    if kind != conversation.kind:
        events.kind_changed(conversation, actor, conversation.kind, kind)
        conversation.kind = kind
        _touch(conversation, "kind")
    return conversation


@transaction.atomic
def assign(*, conversation: Conversation, actor: User, assignee: User | None) -> Conversation:
    if assignee is not None and not assignee.is_staff_member:
        raise ActionError("Conversations can only be assigned to staff.", field="assignee")
    conversation = _lock(conversation)
    if assignee != conversation.assignee:
        events.assigned(conversation, actor, conversation.assignee, assignee)
        conversation.assignee = assignee
        _touch(conversation, "assignee")
    return conversation


@transaction.atomic
def set_team(*, conversation: Conversation, actor: User, team: Team | None) -> Conversation:
    conversation = _lock(conversation)
    if team != conversation.team:
        events.team_changed(conversation, actor, conversation.team, team)
        conversation.team = team
        _touch(conversation, "team")
    return conversation


def clean_tag_names(names: Sequence[str]) -> list[str]:
    return sorted({name.strip().lower()[:50] for name in names if name and name.strip()})


@transaction.atomic
def set_tags(*, conversation: Conversation, actor: User, names: Sequence[str]) -> Conversation:
    conversation = _lock(conversation)
    wanted = set(clean_tag_names(names))
    current = set(conversation.tags.values_list("name", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if added or removed:
        for name in added:
            Tag.objects.get_or_create(name=name)
        conversation.tags.set(Tag.objects.filter(name__in=wanted))
        events.tags_changed(conversation, actor, added, removed)
        _touch(conversation)
    return conversation


def macro_values(conversation: Conversation, agent: User) -> dict[str, str]:
    """Values a macro may use; anything else in braces is left as written."""
    customer = conversation.customer
    return {
        "customer.first_name": customer.first_name,
        "customer.name": customer.name or customer.first_name,
        "customer.email": customer.email,
        "agent.first_name": agent.first_name or agent.display_name,
        "agent.name": agent.display_name,
        "conversation.id": str(conversation.pk),
        "conversation.subject": conversation.subject,
    }


MACRO_PLACEHOLDERS = frozenset(
    {
        "customer.first_name",
        "customer.name",
        "customer.email",
        "agent.first_name",
        "agent.name",
        "conversation.id",
        "conversation.subject",
    }
)


def render_macro(*, conversation: Conversation, agent: User, macro: Macro) -> str:
    return fill(macro.body, macro_values(conversation, agent))


@transaction.atomic
def apply_macro(
    *,
    conversation: Conversation,
    actor: User,
    macro: Macro,
    body: str | None = None,
    files: Sequence[UploadedFile] = (),
) -> Message:
    """Send a macro's reply (edited or as rendered), then its status and tags."""
    text = (
        body
        if body is not None
        else render_macro(conversation=conversation, agent=actor, macro=macro)
    )
    message = add_reply(
        conversation=conversation,
        author=actor,
        body=text,
        files=files,
        status=macro.set_status or None,
    )
    extra_tags = list(macro.add_tags.values_list("name", flat=True))
    if extra_tags:
        current = list(conversation.tags.values_list("name", flat=True))
        set_tags(conversation=conversation, actor=actor, names=current + extra_tags)
    events.macro_applied(conversation, actor, macro)
    return message


@transaction.atomic
def merge(*, source: Conversation, target: Conversation, actor: User) -> Conversation:
    """Fold `source` into `target`: its messages move, it closes and points to target."""
    if source.pk == target.pk:
        raise ActionError("A conversation cannot be merged into itself.")
    # Lock both rows in id order so two opposite merges cannot deadlock.
    first, second = sorted([source.pk, target.pk])
    locked = {
        c.pk: c
        for c in Conversation.objects.select_for_update()
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    for conversation in (source, target):
        _refuse_if_merged(conversation)
    if source.customer_id != target.customer_id:
        raise ActionError("Only conversations of the same customer can be merged.", code="conflict")
    source.messages.update(conversation=target)
    intake.conversation_merged(source, target)
    target.tags.add(*source.tags.all())
    events.merged_into(source, actor, target)
    events.merged_from(target, actor, source)
    source.merged_into = target
    if source.status != Status.CLOSED:
        _set_status(source, actor, Status.CLOSED)
    _touch(source, "merged_into", "status", "solved_at")
    if target.status not in OPEN_STATUSES:
        _set_status(target, actor, Status.OPEN)
    _touch(target, "status", "solved_at")
    search.remove(source.pk)
    search.reindex(target)
    return target


@transaction.atomic
def start_outbound(
    *,
    customer: Customer,
    author: User,
    subject: str,
    body: str,
    channel: str = Channel.EMAIL,
    kind: str = Kind.OTHER,
) -> Conversation:
    """Staff write first (e.g. a proactive message about a known problem): a new
    conversation whose first message is a public reply, mailed like any reply. It
    waits on the customer; their answer reopens it."""
    subject = (subject or "").strip()[:MAX_SUBJECT]
    if not subject:
        raise ActionError("Write a subject.", field="subject")
    body = _check_text(body)
    now = timezone.now()
    conversation = Conversation(
        customer=customer,
        subject=subject,
        kind=kind,
        channel=channel,
        status=Status.PENDING,
        created_at=now,
        updated_at=now,
        first_response_at=now,
    )
    direct_sql.insert(conversation)
    message = _add_message(
        conversation, kind=MessageKind.REPLY, body=body, user=author, channel=channel
    )
    search.start(conversation.pk, f"{subject}\n{body}")
    events.opened(conversation, author)
    events.replied(conversation, author, message)
    outbox.reply_to_customer(message)
    return conversation


@transaction.atomic
def open_internal(
    *,
    customer: Customer,
    subject: str,
    note: str,
    assignee: User | None = None,
    team: Team | None = None,
    kind: str = Kind.COMPLAINT,
    priority: int = Priority.HIGH,
) -> Conversation:
    """A conversation staff open about a customer without writing to them yet (closing
    the loop on a poor survey answer): its first message is an internal note, and it
    is open in the owner's inbox. Whoever works it decides how to reach the customer;
    their reply is mailed like any other. Callers record why it was opened."""
    subject = (subject or "").strip()[:MAX_SUBJECT]
    if not subject:
        raise ActionError("Write a subject.", field="subject")
    note = _check_text(note, what="note")
    if assignee is not None and not assignee.is_staff_member:
        raise ActionError("Conversations can only be assigned to staff.", field="assignee")
    now = timezone.now()
    conversation = Conversation(
        customer=customer,
        subject=subject,
        kind=kind,
        channel=Channel.EMAIL,
        status=Status.OPEN,
        priority=priority,
        assignee=assignee,
        team=team,
        created_at=now,
        updated_at=now,
    )
    direct_sql.insert(conversation)
    _add_message(conversation, kind=MessageKind.NOTE, body=note, channel=Channel.EMAIL)
    search.start(conversation.pk, f"{subject}\n{note}")
    return conversation
