"""Moderating the wall: hiding an item (it reveals something private, say) and showing
it again, each written to the item's audit trail."""

from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.lib.errors import ActionError
from everydesk.praise.models import AuditAction, Praise, PraiseAudit

MAX_REASON = 500


@transaction.atomic
def hide(*, praise: Praise, by: User, reason: str) -> Praise:
    reason = reason.strip()
    if not reason:
        raise ActionError("Say why this is hidden; the audit trail keeps it.", field="reason")
    if len(reason) > MAX_REASON:
        raise ActionError(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    if praise.is_hidden:
        return praise
    praise.hidden_at, praise.hidden_by = timezone.now(), by
    praise.save(update_fields=["hidden_at", "hidden_by"])
    PraiseAudit.objects.create(praise=praise, action=AuditAction.HIDDEN, actor=by, reason=reason)
    return praise


@transaction.atomic
def show(*, praise: Praise, by: User) -> Praise:
    if not praise.is_hidden:
        return praise
    praise.hidden_at, praise.hidden_by = None, None
    praise.save(update_fields=["hidden_at", "hidden_by"])
    PraiseAudit.objects.create(praise=praise, action=AuditAction.SHOWN, actor=by)
    return praise
