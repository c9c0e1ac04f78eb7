"""Who may see and work which conversation. Every view and endpoint asks here.

Anything a user may not see is reported as missing (404), never as
forbidden, so ids cannot be probed.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from everydesk.accounts.models import WHOLE_DESK_ROLES, Role, User
from everydesk.conversations.models import Attachment, Conversation, Message, MessageKind
from everydesk.customers.models import Customer, Order
from everydesk.frontline import shift_inbox


def visible_conversations(user: User) -> QuerySet[Conversation]:
    """Admins, agents and managers see everything; employees what is theirs or their teams'
    (and, on shift, what the shift inbox offers them); customers their own; anyone else
    nothing."""
    everything = Conversation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return everything.none()
    if user.role in WHOLE_DESK_ROLES:
        return everything
    if user.role == Role.EMPLOYEE:
        # On a front-line shift they also see what the shift inbox offers them.
        offered = shift_inbox.suitable_q() & shift_inbox.on_shift_now(user)
        return everything.filter(Q(assignee=user) | Q(team__in=user.teams.all()) | offered)
    customer = customer_of(user)
    return everything.filter(customer=customer) if customer else everything.none()


def customer_of(user: User) -> Customer | None:
    if user.role != Role.CUSTOMER:
        return None
    return Customer.objects.filter(user=user).first()


def get_conversation_for(user: User, conversation_id: int) -> Conversation:
    conversation = (
        visible_conversations(user)
        .select_related(
            "customer",
            "customer__tier",
            "customer__organisation",
            "assignee",
            "team",
            "sla__policy__calendar",
        )
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def can_see_notes(user: User) -> bool:
    return user.is_staff_member


def can_work(user: User, conversation: Conversation) -> bool:
    """Staff who can see a conversation may reply, note and change it.

    `conversation` must come from this module (get_conversation_for or
    visible_conversations), which has already checked that the user sees it;
    asking the database again would cost a query on every page and write.
    """
    return user.is_staff_member


def visible_messages(user: User, conversation: Conversation) -> QuerySet[Message]:
    messages = conversation.messages.all()
    if not can_see_notes(user):
        messages = messages.exclude(kind=MessageKind.NOTE)
    return messages


def get_attachment_for(user: User, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    conversation = get_conversation_for(user, attachment.message.conversation_id)
    if not visible_messages(user, conversation).filter(pk=attachment.message_id).exists():
        raise Http404("No such attachment.")
    return attachment


def visible_customers(user: User) -> QuerySet[Customer]:
    if user.is_authenticated and user.is_active and user.role in WHOLE_DESK_ROLES:
        return Customer.objects.all()
    if user.is_authenticated and user.role == Role.EMPLOYEE:
        return Customer.objects.filter(conversations__in=visible_conversations(user)).distinct()
    customer = customer_of(user) if user.is_authenticated else None
    return Customer.objects.filter(pk=customer.pk) if customer else Customer.objects.none()


def get_customer_for(user: User, customer_id: int) -> Customer:
    customer = visible_customers(user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404("No such customer.")
    return customer


def visible_orders(user: User) -> QuerySet[Order]:
    """Orders of the customers this user may see."""
    if user.is_authenticated and user.is_active and user.role in WHOLE_DESK_ROLES:
        return Order.objects.all()
    return Order.objects.filter(customer__in=visible_customers(user))
