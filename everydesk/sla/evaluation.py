"""The periodic SLA check: warn before deadlines, escalate breaches, refresh priority scores.

Everything starts from an index, never from a scan of the open conversations:
- breaches: clocks past due_at not yet breached (index sla_to_breach);
- warnings: clocks within their policy's warning window not yet warned (sla_to_warn);
- scores: clocks whose time-based score parts changed (rescore_at <= now, sla_to_rescore).

Each mark is claimed by one conditional UPDATE ... RETURNING (the row must still be
unmarked), so two checks running at once, or a check run twice, notify once.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from everydesk.accounts.models import Role, Team, User
from everydesk.conversations import events
from everydesk.conversations.models import OPEN_STATUSES, Conversation
from everydesk.lib import direct_sql
from everydesk.listening import row_updates, triage
from everydesk.notifications.actions import notify
from everydesk.sla import policies, priority
from everydesk.sla.models import ConversationSla

# The outer WHERE repeats the inner one: on PostgreSQL a row another check claimed
# meanwhile is re-tested after its lock and skipped, so each mark is written once.
CLAIM = (
    "UPDATE {table} SET {assign} WHERE conversation_id IN ("
    "SELECT conversation_id FROM {table} WHERE {where} ORDER BY due_at LIMIT {limit}{skip}"
    ") AND {where} RETURNING conversation_id, due_target, due_at"
)


@dataclass(frozen=True)
class Claimed:
    conversation_id: int
    target: str
    due_at: dt.datetime


@dataclass(frozen=True)
class Outcome:
    breached: int
    warned: int
    rescored: int
    reprioritised: int


def _param(moment: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _claim(
    assign: str,
    where: str,
    params: Sequence[Any],
    assign_params: Sequence[Any],
    then: Callable[[list[Claimed]], None],
) -> int:
    """Mark every row matching `where`, a batch per statement, and hand each batch to
    `then` in the same transaction: a mark is never kept without its notifications."""
    table = connection.ops.quote_name(ConversationSla._meta.db_table)
    skip = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    limit = int(settings.SLA_BATCH_SIZE)
    # Only fixed text and names from the model go into the statement; values are parameters.
    sql = CLAIM.format(table=table, assign=assign, where=where, limit=limit, skip=skip)
    field = ConversationSla._meta.get_field("due_at")
    total = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [*assign_params, *params, *params])
                rows = cursor.fetchall()
            claimed = [
                Claimed(pk, target, direct_sql.convert(due, field, "sla"))  # type: ignore[arg-type]
                for pk, target, due in rows
            ]
            if claimed:
                then(claimed)
        total += len(rows)
        if len(rows) < limit:
            return total


def breaches(now: dt.datetime) -> int:
    """Mark and escalate every deadline that passed; a breach also counts as warned."""
    at = _param(now)
    return _claim(
        "breached_at = %s, warned_at = COALESCE(warned_at, %s), rescore_at = %s",
        "breached_at IS NULL AND due_at <= %s",
        [at],
        [at, at, at],
        escalate,
    )


def warnings(now: dt.datetime) -> int:
    """Mark and announce deadlines inside their policy's warning window, per window."""
    windows: dict[dt.timedelta, list[int]] = defaultdict(list)
    for policy in policies.current().by_id.values():
        windows[policy.warn_before].append(policy.id)
    total = 0
    for window, ids in windows.items():
        marks = ", ".join(["%s"] * len(ids))
        total += _claim(
            "warned_at = %s, rescore_at = %s",
            f"warned_at IS NULL AND due_at <= %s AND policy_id IN ({marks})",
            [_param(now + window), *ids],
            [_param(now), _param(now)],
            warn,
        )
    return total


@dataclass(frozen=True)
class Case:
    id: int
    subject: str
    assignee_id: int | None
    team_id: int | None


def _cases(ids: Iterable[int]) -> dict[int, Case]:
    rows = Conversation.objects.filter(pk__in=list(ids)).values_list(
        "id", "subject", "assignee_id", "team_id"
    )
    return {row[0]: Case(*row) for row in rows}


class People:
    """Who hears about a conversation: loaded once per check, not per conversation."""

    def __init__(self, cases: Iterable[Case]) -> None:
        cases = list(cases)
        teams = {case.team_id for case in cases if case.team_id}
        self.members: dict[int, list[int]] = defaultdict(list)
        for team_id, user_id in Team.members.through.objects.filter(team_id__in=teams).values_list(
            "team_id", "user_id"
        ):
            self.members[team_id].append(user_id)
        staff = User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.MANAGER])
        self.admins = [u.pk for u in staff if u.role == Role.ADMIN]
        self.managers = [u.pk for u in staff if u.role == Role.MANAGER]
        assignees = {case.assignee_id for case in cases if case.assignee_id}
        self.manager_of = dict(
            User.objects.filter(pk__in=assignees, manager__isnull=False).values_list(
                "pk", "manager_id"
            )
        )

    def responsible(self, case: Case) -> list[int]:
        """The assignee; else the team; else the admins."""
        if case.assignee_id:
            return [case.assignee_id]
        if case.team_id and self.members.get(case.team_id):
            return self.members[case.team_id]
        return self.admins

    def escalation(self, case: Case) -> list[int]:
        """Above the responsible people: the assignee's manager, else every manager."""
        boss = self.manager_of.get(case.assignee_id or 0)
        return [boss] if boss else self.managers


def _send(per_person: dict[int, list[Case]], *, kind: str, one: str, many: str) -> None:
    users = User.objects.in_bulk(list(per_person))
    for user_id, cases in per_person.items():
        if user_id not in users:
            continue
        if len(cases) == 1:
            case = cases[0]
            title = one.format(ref=f"#{case.id}", subject=case.subject)
            url = reverse("desk:conversation", args=[case.id])
        else:
            title, url = many.format(count=len(cases)), reverse("desk:inbox")
        notify(users=[users[user_id]], kind=kind, title=title, url=url)


TARGET_NAMES = {"first_response": "first response", "next_response": "next response"}


def _target(claimed: Claimed) -> str:
    return TARGET_NAMES.get(claimed.target, claimed.target)


def warn(claimed: Sequence[Claimed]) -> None:
    cases = _cases(c.conversation_id for c in claimed)
    people = People(cases.values())
    per_person: dict[int, list[Case]] = defaultdict(list)
    for case in cases.values():
        for user_id in people.responsible(case):
            per_person[user_id].append(case)
    _send(
        per_person,
        kind="sla_warning",
        one="SLA due soon: {ref} {subject}",
        many="{count} conversations are about to miss their SLA",
    )


def escalate(claimed: Sequence[Claimed]) -> None:
    """Tell the responsible people and the level above, and put it on the timeline."""
    cases = _cases(c.conversation_id for c in claimed)
    people = People(cases.values())
    per_person: dict[int, list[Case]] = defaultdict(list)
    timeline: list[tuple[int, dict[str, object]]] = []
    for mark in claimed:
        case = cases.get(mark.conversation_id)
        if case is None:
            continue
        told = sorted(set(people.responsible(case)) | set(people.escalation(case)))
        for user_id in told:
            per_person[user_id].append(case)
        data = {"target": _target(mark), "due_at": mark.due_at.isoformat(), "notified": len(told)}
        timeline.append((case.id, data))
    events.sla_breached(timeline)
    _send(
        per_person,
        kind="sla_breached",
        one="SLA breached: {ref} {subject}",
        many="{count} conversations missed their SLA",
    )


@dataclass(frozen=True)
class _Due:
    """One clock due for rescoring, with what the score reads of its conversation."""

    pk: int
    due_at: dt.datetime | None
    paused_at: dt.datetime | None
    policy_id: int | None
    status: str
    created_at: dt.datetime
    urgency: int
    sentiment: float | None
    priority: int
    priority_score: int
    priority_reasons: list[list[Any]]
    tier_id: int | None


def _due_for_rescore(now: dt.datetime) -> list[_Due]:
    rows = (
        ConversationSla.objects.filter(rescore_at__lte=now)
        .order_by("rescore_at")
        .values_list(
            "conversation_id",
            "due_at",
            "paused_at",
            "policy_id",
            "conversation__status",
            "conversation__created_at",
            "conversation__urgency",
            "conversation__sentiment",
            "conversation__priority",
            "conversation__priority_score",
            "conversation__priority_reasons",
            "conversation__customer__tier_id",
        )[: settings.SLA_BATCH_SIZE]
    )
    return [_Due(*row) for row in rows]


def _score(row: _Due, snapshot: policies.Snapshot, now: dt.datetime) -> priority.Score:
    policy = snapshot.by_id.get(row.policy_id) if row.policy_id else None
    warn = policy.warn_before if policy else dt.timedelta(0)
    return priority.score(
        tier=snapshot.tiers.get(row.tier_id) if row.tier_id else None,
        urgency=row.urgency,
        sentiment=row.sentiment,
        created_at=row.created_at,
        clock=priority.Clock(due_at=row.due_at, paused=row.paused_at is not None, warn_before=warn),
        now=now,
    )


def _rescore_batch(rows: Sequence[_Due], now: dt.datetime) -> tuple[int, int]:
    snapshot = policies.current()
    schedule, changed = [], []
    for row in rows:
        if row.status not in OPEN_STATUSES:
            schedule.append(ConversationSla(conversation_id=row.pk, rescore_at=None))
            continue
        found = _score(row, snapshot, now)
        schedule.append(ConversationSla(conversation_id=row.pk, rescore_at=found.next_change))
        stored = (row.priority_score, row.priority_reasons, row.priority)
        if (found.points, found.reasons, found.band) != stored:
            changed.append(
                Conversation(
                    pk=row.pk,
                    priority=found.band,
                    priority_score=found.points,
                    priority_reasons=found.reasons,
                )
            )
    moved = _keep_chosen_priorities(changed, {row.pk: row.priority for row in rows})
    with transaction.atomic():
        row_updates.update_rows(ConversationSla, schedule, ["rescore_at"])
        row_updates.update_rows(
            Conversation, changed, ["priority", "priority_score", "priority_reasons"]
        )
    return len(changed), moved


def _keep_chosen_priorities(changed: Sequence[Conversation], bands: dict[int, int]) -> int:
    """A person's choice of priority wins over the score's band; returns how many moved."""
    moving = [c for c in changed if c.priority != bands[c.pk]]
    if not moving:
        return 0
    choices = triage.person_choices([c.pk for c in moving])
    moved = 0
    for conversation in moving:
        conversation_then = Conversation(pk=conversation.pk, priority=bands[conversation.pk])
        if triage.person_set_priority(conversation_then, choices):
            conversation.priority = bands[conversation.pk]
        else:
            moved += 1
    return moved


def rescore(now: dt.datetime) -> tuple[int, int]:
    """Refresh scores whose time-based parts moved; returns (rows changed, bands moved)."""
    changed = moved = 0
    while rows := _due_for_rescore(now):
        batch_changed, batch_moved = _rescore_batch(rows, now)
        changed, moved = changed + batch_changed, moved + batch_moved
    return changed, moved


def run(now: dt.datetime) -> Outcome:
    """One check. Breaches first: a deadline already missed is escalated, not warned."""
    breached = breaches(now)
    warned = warnings(now)
    changed, moved = rescore(now)
    return Outcome(breached, warned, changed, moved)
