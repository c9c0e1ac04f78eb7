"""Turn ids and slugs a client sent into rows, or refuse naming the field they came in."""

from everydesk.accounts.models import Team, User
from everydesk.customers.models import Organisation, Tier
from everydesk.lib.errors import ActionError


def tier(slug: str | None, *, field: str = "tier") -> Tier | None:
    if slug is None:
        return None
    found = Tier.objects.filter(slug=slug).first()
    if found is None:
        raise ActionError(f"There is no tier {slug!r}.", field=field)
    return found


def organisation(pk: int | None, *, field: str = "organisation_id") -> Organisation | None:
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ActionError(f"There is no organisation {pk}.", field=field)
    return found


def team(pk: int | None, *, field: str = "team_id") -> Team | None:
    if pk is None:
        return None
    found = Team.objects.filter(pk=pk).first()
    if found is None:
        raise ActionError(f"There is no team {pk}.", field=field)
    return found


def staff_member(pk: int | None, *, field: str = "assignee_id") -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk).first()
    if found is None or not found.is_staff_member:
        raise ActionError(f"There is no staff member {pk}.", field=field)
    return found
