"""What the other capabilities do when a conversation moves.

The actions call these inside their transaction, after their own writes, with the
conversation as it now stands in memory (its row may be saved a moment later in the
same transaction). Each capability adds its call here, in the open, instead of
listening to signals: the order is visible and nothing runs that a reader cannot find.
Anything slow or outward (mail, webhooks) must be queued with transaction.on_commit.
"""

from everydesk.accounts.models import User
from everydesk.conversations.models import Conversation, Message
from everydesk.frontline import routing
from everydesk.recovery import hooks as recovery
from everydesk.sla import clocks
from everydesk.surveys import invitations as surveys


def opened(conversation: Conversation) -> None:
    """A new conversation has been stored with its first customer message."""
    clocks.start(conversation)


def customer_wrote(conversation: Conversation, message: Message) -> None:
    """The customer wrote again on an existing conversation."""
    clocks.customer_wrote(conversation, message)


def replied(conversation: Conversation, message: Message) -> None:
    """Staff sent a public reply."""
    clocks.replied(conversation, message)
    routing.on_replied(conversation, message)


def status_changed(conversation: Conversation, actor: User | None, old: str, new: str) -> None:
    """The status moved from `old` to `new` (actor None: the customer or the system)."""
    clocks.status_changed(conversation, old, new)
    surveys.on_status_changed(conversation, actor, old, new)
    recovery.status_changed(conversation, actor, new)
