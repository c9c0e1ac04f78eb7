"""The inbox views (mine, unassigned, all open, per team), in priority-then-age order.

Each view is a filter on top of what the user may see, so an employee's
"all open" is all open conversations of their own and their teams'.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from everydesk.accounts.models import Team, User
from everydesk.conversations.access import visible_conversations
from everydesk.conversations.models import Conversation

# Ascending in every column, matching the conv_*_queue indexes: the band, then the
# priority score (queue_rank is minus the score, sla/priority.py), then age.
INBOX_ORDER = ("priority", "queue_rank", "created_at", "id")
# Counting a million rows costs more than showing them; past this we say "1,000+".
# Every inbox page counts each tab: at 10,000 the six counts took ~90 ms on PostgreSQL
# with a million conversations (docs/benchmarks.md); at 1,000 they take a tenth.
COUNT_CAP = 1_000


class UnknownView(ValueError):
    pass


@dataclass(frozen=True)
class View:
    key: str
    label: str


def views_for(user: User) -> list[View]:
    fixed = [View("mine", "Mine"), View("unassigned", "Unassigned"), View("open", "All open")]
    teams = Team.objects.all() if user.is_agent_or_admin else user.teams.all()
    return fixed + [View(f"team-{team.pk}", team.name) for team in teams]


def queue(user: User, key: str) -> QuerySet[Conversation]:
    """Open conversations of one view; raises UnknownView for a key that is not one."""
    # is_open=True would be written as a bare `WHERE is_open`, which SQLite cannot match
    # to the conv_*_queue indexes (it scans and sorts the whole table); `IN (true)` is
    # read as `is_open = 1` by SQLite and PostgreSQL alike, so the indexes serve it.
    base = visible_conversations(user).filter(is_open__in=[True])
    if key == "mine":
        return base.filter(assignee=user)
    if key == "unassigned":
        return base.filter(assignee__isnull=True)
    if key == "open":
        return base
    if key.startswith("team-") and key[5:].isdigit():
        return base.filter(team_id=int(key[5:]))
    raise UnknownView(f"There is no inbox view called {key!r}.")


def capped_count(queryset: QuerySet[Conversation]) -> int:
    """Exact up to COUNT_CAP, then COUNT_CAP + 1 meaning "more than"."""
    return queryset.order_by().values("id")[: COUNT_CAP + 1].count()
