"""Which survey answers a staff member may read: those about what they may see.

Whole-desk roles (admins, agents, managers) see every survey. Employees see the
CSAT surveys of conversations they can see, and no NPS (which is about the whole
relationship, not their work). Customers and outsiders see none here.
"""

from django.db.models import QuerySet

from everydesk.accounts.models import WHOLE_DESK_ROLES, Role, User
from everydesk.conversations import access
from everydesk.surveys.models import Survey


def visible_surveys(user: User) -> QuerySet[Survey]:
    surveys = Survey.objects.all()
    if not user.is_authenticated or not user.is_active:
        return surveys.none()
    if user.role in WHOLE_DESK_ROLES:
        return surveys
    if user.role == Role.EMPLOYEE:
        return surveys.filter(conversation__in=access.visible_conversations(user))
    return surveys.none()
