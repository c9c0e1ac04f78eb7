"""The mailboxes we serve, read once and kept for a short while.

Every incoming message asks which mailbox an address belongs to and whether a
sender is one of ours; the answer changes only when an admin edits a mailbox.
Saving or deleting one clears this process's copy at once; other processes see
the change within TTL_SECONDS.
"""

import time
from email.utils import parseaddr

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from everydesk.mail.models import Mailbox
from everydesk.mail.tokens import split_plus

TTL_SECONDS = 30.0

_cached: tuple[float, dict[str, Mailbox]] = (0.0, {})


def _by_address() -> dict[str, Mailbox]:
    global _cached
    read_at, mailboxes = _cached
    if time.monotonic() - read_at > TTL_SECONDS:
        mailboxes = {m.address: m for m in Mailbox.objects.select_related("team")}
        _cached = (time.monotonic(), mailboxes)
    return mailboxes


def forget(**_: object) -> None:
    global _cached
    _cached = (0.0, {})


post_save.connect(forget, sender=Mailbox, dispatch_uid="mailboxes.forget.save")
post_delete.connect(forget, sender=Mailbox, dispatch_uid="mailboxes.forget.delete")


def by_id(pk: int) -> Mailbox | None:
    """The mailbox with this id, active or not: a stored message keeps its mailbox."""
    found = next((m for m in _by_address().values() if m.pk == pk), None)
    if found is None:  # added since this process read them
        forget()
        found = next((m for m in _by_address().values() if m.pk == pk), None)
    return found


def for_recipient(address: str) -> Mailbox | None:
    """The active mailbox an address belongs to, plus-addresses included."""
    mailbox = _by_address().get(split_plus(address)[0])
    return mailbox if mailbox and mailbox.active else None


def is_ours(address: str) -> bool:
    """Mail from any of our addresses must never be ingested (it would loop)."""
    if not address:
        return False
    base = split_plus(address)[0]
    return base in _by_address() or base == split_plus(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])[0]
