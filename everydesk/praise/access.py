"""The wall is the whole company's: every member of staff sees it; customers never do.
Managers and admins may hide an item from it."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from everydesk.accounts.models import Role, User
from everydesk.praise.models import Praise


def wall_for(user: User) -> QuerySet[Praise]:
    if not user.is_staff_member:
        raise Http404("Not found.")
    return Praise.objects.filter(hidden_at__isnull=True)


def may_hide(user: User) -> bool:
    return user.is_active and user.role in (Role.MANAGER, Role.ADMIN)


def get_praise_to_moderate(user: User, praise_id: int) -> Praise:
    if not may_hide(user):
        raise Http404("Not found.")
    return get_object_or_404(Praise, pk=praise_id)
