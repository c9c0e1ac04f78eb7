"""Conversations: list, open, read, change and merge.

Opening one is the busiest write of the whole product (integrations push every
ticket through it), so that path reads only what it must and answers from the
rows it just wrote.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from everydesk.accounts.models import User
from everydesk.api import lookups
from everydesk.api.auth import caller
from everydesk.api.schemas.conversations import (
    ConversationIn,
    ConversationListQuery,
    ConversationOut,
    ConversationPage,
    ConversationPatch,
    MergeIn,
)
from everydesk.api.schemas.errors import errors
from everydesk.conversations import access, actions, queues
from everydesk.conversations.filters import Filters, apply
from everydesk.conversations.models import Channel, Conversation, Tag
from everydesk.customers.actions import find_or_create_customer, normalise_email
from everydesk.customers.models import Customer
from everydesk.lib import direct_sql
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import paginate

router = Router(tags=["conversations"])

NEWEST_UPDATED = ("updated_at", "id")


def with_details(conversations: QuerySet[Conversation], user: User) -> QuerySet[Conversation]:
    """Everything ConversationOut shows, in two queries however long the page."""
    conversations = conversations.select_related("customer__tier", "assignee", "team")
    # Customers are not shown tags, so they need not be read for them.
    return conversations.prefetch_related("tags") if user.is_staff_member else conversations


@router.get("", response={200: ConversationPage, **errors(400, 401, 422)})
def list_conversations(request: HttpRequest, query: Query[ConversationListQuery]) -> dict:
    """Conversations you may see, most recently updated first, or an inbox view in inbox order."""
    user = caller(request)
    base = queues.queue(user, query.view) if query.view else access.visible_conversations(user)
    filters = Filters(
        status=query.status,
        kind=query.kind,
        team_id=query.team_id,
        assignee_id=query.assignee_id,
        unassigned=query.unassigned,
    )
    conversations = apply(base, filters)
    if query.customer_id:
        conversations = conversations.filter(customer_id=query.customer_id)
    # An inbox view lists in the order people work it; the plain list shows recent activity.
    fields, descending = (queues.INBOX_ORDER, False) if query.view else (NEWEST_UPDATED, True)
    page = paginate(
        with_details(conversations, user),
        fields=fields,
        after=query.after,
        limit=query.limit,
        descending=descending,
    )
    return {"items": page.items, "next": page.next_cursor}


def _customer_for(user: User, payload: ConversationIn) -> Customer:
    """Whom a new conversation is from: named by staff, always oneself for a customer."""
    if user.is_staff_member:
        if not payload.customer_email:
            raise ActionError("Give the customer's email address.", field="customer_email")
        try:
            return find_or_create_customer(email=payload.customer_email, name=payload.customer_name)
        except ActionError as error:
            raise ActionError(error.message, field="customer_email") from error
    own = access.customer_of(user)
    if own is None:
        raise PermissionDenied("This account has no customer profile to write from.")
    email = payload.customer_email
    if email is not None and normalise_email(email) != own.email:
        raise PermissionDenied("You can only open conversations for yourself.")
    if payload.model_fields_set & {"priority", "team_id"}:
        raise PermissionDenied("Only staff can set the priority or team.")
    return own


def _known_customer(user: User, payload: ConversationIn) -> Customer | None:
    """The existing customer staff named, read before the write transaction: on SQLite
    that transaction holds the one writer lock, and most named customers exist."""
    if not (user.is_staff_member and payload.customer_email):
        return None
    customer = direct_sql.get_by(Customer, "email", normalise_email(payload.customer_email))
    if customer and payload.customer_name and not customer.name:
        return None  # find_or_create_customer fills the missing name, in the transaction
    return customer


@router.post("", response={201: ConversationOut, **errors(400, 401, 403, 422)})
def create_conversation(request: HttpRequest, payload: ConversationIn) -> Status[Conversation]:
    """Open a conversation: staff for any customer by address, a customer for themselves."""
    user = caller(request)
    # The team is checked before the customer, who may be created; customers may not
    # choose a team at all (_customer_for refuses them).
    team = lookups.team(payload.team_id) if user.is_staff_member else None
    known = _known_customer(user, payload)
    # One transaction: a refused conversation leaves no new customer behind, and
    # the request commits once.
    with transaction.atomic():
        customer = known or _customer_for(user, payload)
        conversation = actions.open_conversation(
            customer=customer,
            subject=payload.subject,
            body=payload.body,
            kind=payload.kind,
            channel=Channel.API,
            html=payload.html,
            priority=payload.priority,
            team=team,
            opened_by=user,
        )
    # Nothing has tagged a conversation opened a moment ago; saying so saves
    # a query on the path integrations call most.
    conversation._prefetched_objects_cache = {"tags": Tag.objects.none()}  # type: ignore[attr-defined]
    return Status(201, conversation)


@router.get("/{conversation_id}", response={200: ConversationOut, **errors(401, 404)})
def get_conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    """One conversation with its customer, assignee, team and tags."""
    return access.get_conversation_for(caller(request), conversation_id)


def _workable(user: User, conversation_id: int) -> Conversation:
    conversation = access.get_conversation_for(user, conversation_id)
    if not access.can_work(user, conversation):
        raise PermissionDenied("Only staff can change a conversation.")
    return conversation


Change = Callable[[Conversation, User, Any], object]

# One action per field, so each change is checked and audited as in the desk.
CHANGES: dict[str, Change] = {
    "status": lambda c, u, v: actions.change_status(conversation=c, actor=u, status=v),
    "priority": lambda c, u, v: actions.change_priority(conversation=c, actor=u, priority=v),
    "kind": lambda c, u, v: actions.change_kind(conversation=c, actor=u, kind=v),
    "assignee_id": lambda c, u, v: actions.assign(
        conversation=c, actor=u, assignee=lookups.staff_member(v)
    ),
    "team_id": lambda c, u, v: actions.set_team(conversation=c, actor=u, team=lookups.team(v)),
    "tags": lambda c, u, v: actions.set_tags(conversation=c, actor=u, names=v),
}


@router.patch(
    "/{conversation_id}", response={200: ConversationOut, **errors(400, 401, 403, 404, 409, 422)}
)
def update_conversation(
    request: HttpRequest, conversation_id: int, payload: ConversationPatch
) -> Conversation:
    """Change only the fields sent; each change is audited. All or nothing."""
    user = caller(request)
    conversation = _workable(user, conversation_id)
    # All or nothing: a refused field undoes the ones applied before it.
    with transaction.atomic():
        for field, value in payload.model_dump(exclude_unset=True).items():
            CHANGES[field](conversation, user, value)
    return access.get_conversation_for(user, conversation_id)


@router.post(
    "/{conversation_id}/merge", response={200: ConversationOut, **errors(400, 401, 403, 404, 409)}
)
def merge_conversation(
    request: HttpRequest, conversation_id: int, payload: MergeIn
) -> Conversation:
    """Fold this conversation into `into` (same customer); answers the one that remains."""
    user = caller(request)
    source = _workable(user, conversation_id)
    try:
        target = _workable(user, payload.into)
    except Http404:
        raise Http404(f"There is no conversation {payload.into} to merge into.") from None
    actions.merge(source=source, target=target, actor=user)
    return access.get_conversation_for(user, target.pk)
