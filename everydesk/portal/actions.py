"""Writes behind customer sign-in: mailing a link, and turning a spent link into a session user."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from everydesk.accounts.models import Role, User
from everydesk.conversations import actions as conversation_actions
from everydesk.conversations.models import Channel, Conversation
from everydesk.customers.actions import find_or_create_customer, normalise_email
from everydesk.customers.models import Customer
from everydesk.mail import outbox
from everydesk.portal import links


def _may_use_links(customer: Customer) -> bool:
    """Links are for customers only: a staff account must never be opened by one.

    A customer whose address is also a staff login is refused too, or a link
    mailed to that shared address would end up signing in the staff account.
    """
    user = customer.user
    if user is not None:
        return user.role == Role.CUSTOMER and user.is_active
    same_address = User.objects.filter(email__iexact=customer.email).first()
    return same_address is None or (same_address.role == Role.CUSTOMER and same_address.is_active)


def link_url(raw: str, next_url: str = "") -> str:
    url = settings.BASE_URL + reverse("portal:link", args=[raw])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@transaction.atomic
def send_login_link(*, email: str, next_url: str = "") -> bool:
    """Mail a sign-in link if the address is a customer's; say whether one was sent.

    The caller must not tell the person the answer: the page reads the same
    either way, so nobody can test which addresses we know. Unknown
    addresses get nothing and nothing is created for them.
    """
    customer = Customer.objects.select_related("user").filter(email=normalise_email(email)).first()
    if customer is None or not _may_use_links(customer):
        return False
    raw = links.issue(customer)
    outbox.portal_login_link(customer.email, link_url(raw, next_url), settings.PORTAL_LINK_MINUTES)
    return True


def _new_portal_user(customer: Customer) -> User:
    existing = User.objects.filter(email__iexact=customer.email, role=Role.CUSTOMER).first()
    if existing is not None:
        return existing
    # The username is only a label (people sign in by email); it has a 150 character cap.
    username = customer.email if len(customer.email) <= 150 else f"customer-{customer.pk}"
    user = User(
        username=username, email=customer.email, role=Role.CUSTOMER, first_name=customer.name[:150]
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def redeem_login_link(raw: str) -> User | None:
    """Spend a link and return the customer's portal user, creating it on first sign-in.

    None means the link is unknown, used, expired, or belongs to an address
    that may not sign in this way; the page offers a fresh link.
    """
    link = links.claim(raw)
    if link is None:
        return None
    # Lock the profile so two first sign-ins (two links) cannot create two users.
    # of=self: PostgreSQL cannot lock the nullable side of the join to the user.
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=link.customer_id)
    )
    if not _may_use_links(customer):
        return None
    if customer.user is None:
        customer.user = _new_portal_user(customer)
        customer.save(update_fields=["user"])
    return customer.user


@transaction.atomic
def submit_public_form(
    *, name: str, email: str, kind: str, subject: str, body: str
) -> Conversation:
    """Someone wrote through the public form: file it on their profile and acknowledge it.

    One transaction, so a refused message leaves no half-made customer
    behind; the acknowledgement is mailed only once it has all been stored.
    """
    customer = find_or_create_customer(email=email, name=name)
    conversation = conversation_actions.open_conversation(
        customer=customer, subject=subject, body=body, kind=kind, channel=Channel.FORM
    )
    outbox.conversation_received(conversation)
    return conversation
