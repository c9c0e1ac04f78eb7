"""Each conversation's SLA clock, moved by what happens to the conversation.

conversations/lifecycle.py calls these inside the actions' transactions, on the email
ingest and API hot paths, so each costs at most a read and a write of the one clock
row (SQL built once, lib/direct_sql) and no query for the policy (sla/policies.py).
Deadlines are stored as absolute instants; the periodic check (sla/tasks.py) then only
compares them with now.

- opened: first response and resolution deadlines start from the conversation's creation.
- replied: the first response (or the pending next response) is decided, met or not.
- customer wrote after a reply: a next-response deadline starts.
- pending ("waiting on customer"): every running deadline stops and keeps the business
  time it had left; back to open, each restarts from now with that time.
- solved or closed: resolution is decided; nothing runs any more.
"""

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from everydesk.conversations.models import OPEN_STATUSES, Conversation, Message, Status
from everydesk.lib import direct_sql
from everydesk.sla import business_hours, policies, priority
from everydesk.sla.models import ConversationSla, Target
from everydesk.sla.policies import Policy

log = logging.getLogger(__name__)

DUE_FIELDS = {
    Target.FIRST_RESPONSE: "first_response_due_at",
    Target.NEXT_RESPONSE: "next_response_due_at",
    Target.RESOLUTION: "resolution_due_at",
}
MET_FIELDS = {
    Target.FIRST_RESPONSE: "first_response_met",
    Target.NEXT_RESPONSE: "next_response_met",
    Target.RESOLUTION: "resolution_met",
}
WRITTEN = [
    "policy",
    *DUE_FIELDS.values(),
    *MET_FIELDS.values(),
    "paused_at",
    "paused_left",
    "due_at",
    "due_target",
    "warned_at",
    "breached_at",
    "rescore_at",
    "updated_at",
]


def _due(start: dt.datetime, minutes: dt.timedelta | None, policy: Policy) -> dt.datetime | None:
    return None if minutes is None else _deadline(start, minutes, policy.calendar)


def _deadline(
    start: dt.datetime, duration: dt.timedelta, calendar: business_hours.Calendar
) -> dt.datetime | None:
    """A calendar too sparse to hold the target within the years searched gives no
    deadline rather than an error: the clock runs inside the actions, and a message
    must never be refused because of how an admin set the office hours."""
    try:
        return business_hours.add_business_time(start, duration, calendar)
    except business_hours.CalendarError as error:
        log.warning("No SLA deadline: %s", error)
        return None


def _running(clock: ConversationSla) -> dict[str, dt.datetime]:
    """Deadlines not yet decided, by target."""
    running = {}
    for target, field in DUE_FIELDS.items():
        due = getattr(clock, field)
        if due is not None and getattr(clock, MET_FIELDS[target]) is None:
            running[str(target)] = due
    return running


def _settle(clock: ConversationSla, now: dt.datetime) -> None:
    """Recompute the earliest running deadline; a new one starts unwarned and unbreached."""
    running = {} if clock.paused_at else _running(clock)
    target, due = min(running.items(), key=lambda item: item[1], default=("", None))
    if due != clock.due_at:
        clock.warned_at = clock.breached_at = None
    clock.due_at, clock.due_target = due, target
    clock.rescore_at = now  # time left moved: the score follows on the next check
    clock.updated_at = now


def _save(clock: ConversationSla) -> None:
    direct_sql.update(clock, WRITTEN)


def _clock(conversation: Conversation) -> ConversationSla | None:
    """The clock, if a policy gives it deadlines to move (else nothing to write)."""
    clock = direct_sql.get_by(ConversationSla, "conversation", conversation.pk)
    return clock if clock is not None and clock.policy_id else None


def _policy(clock: ConversationSla) -> Policy | None:
    return policies.current().by_id.get(clock.policy_id) if clock.policy_id else None


def start(conversation: Conversation) -> None:
    """A new conversation: one insert, and one update of its score if its tier has a boost."""
    snapshot = policies.current()
    tier_id = conversation.customer.tier_id
    policy = snapshot.match(tier_id, conversation.priority)
    now = timezone.now()
    clock = ConversationSla(conversation=conversation, policy_id=policy.id if policy else None)
    if policy:
        clock.first_response_due_at = _due(conversation.created_at, policy.first_response, policy)
        clock.resolution_due_at = _due(conversation.created_at, policy.resolution, policy)
    _settle(clock, now)
    clock.save(force_insert=True)
    tier = snapshot.tiers.get(tier_id) if tier_id else None
    if tier and tier.boost:
        _write_score(conversation, clock, policy, now)


def _write_score(
    conversation: Conversation, clock: ConversationSla, policy: Policy | None, now: dt.datetime
) -> None:
    found = score_of(conversation, clock, now)
    conversation.priority_score, conversation.priority_reasons = found.points, found.reasons
    direct_sql.update(conversation, ["priority_score", "priority_reasons"])


def score_of(
    conversation: Conversation, clock: ConversationSla | None, now: dt.datetime
) -> priority.Score:
    """The priority score of a conversation as it stands in memory."""
    snapshot = policies.current()
    tier_id = conversation.customer.tier_id
    policy = snapshot.by_id.get(clock.policy_id) if clock and clock.policy_id else None
    return priority.score(
        tier=snapshot.tiers.get(tier_id) if tier_id else None,
        urgency=conversation.urgency,
        sentiment=conversation.sentiment,
        created_at=conversation.created_at,
        clock=clock_for_score(clock, policy),
        now=now,
    )


def clock_for_score(clock: ConversationSla | None, policy: Policy | None) -> priority.Clock | None:
    if clock is None:
        return None
    warn = policy.warn_before if policy else dt.timedelta(0)
    return priority.Clock(due_at=clock.due_at, paused=bool(clock.paused_at), warn_before=warn)


def _decide(clock: ConversationSla, target: str, at: dt.datetime) -> None:
    """Record whether `target` was met at `at` (a paused deadline still had time left)."""
    due = getattr(clock, DUE_FIELDS[Target(target)])
    if due is None or getattr(clock, MET_FIELDS[Target(target)]) is not None:
        return
    met = target in clock.paused_left or at <= due
    setattr(clock, MET_FIELDS[Target(target)], met)
    clock.paused_left = {k: v for k, v in clock.paused_left.items() if k != target}


def replied(conversation: Conversation, message: Message) -> None:
    clock = _clock(conversation)
    if clock is None:
        return
    _decide(clock, Target.FIRST_RESPONSE, message.created_at)
    _decide(clock, Target.NEXT_RESPONSE, message.created_at)
    # A later customer message starts a fresh next-response deadline; the last one's
    # outcome stays until then.
    clock.next_response_due_at = None
    _settle(clock, message.created_at)
    _save(clock)


def customer_wrote(conversation: Conversation, message: Message) -> None:
    if conversation.first_response_at is None or conversation.status not in OPEN_STATUSES:
        return  # still waiting for the first response, whose deadline already runs
    clock = _clock(conversation)
    policy = _policy(clock) if clock else None
    if clock is None or policy is None or policy.next_response is None:
        return
    if clock.next_response_due_at is not None and clock.next_response_met is None:
        return  # already waiting for an answer: the earlier message set the deadline
    clock.next_response_due_at = _due(message.created_at, policy.next_response, policy)
    clock.next_response_met = None
    _settle(clock, message.created_at)
    _save(clock)


def status_changed(conversation: Conversation, old: str, new: str) -> None:
    if new == Status.PENDING:
        change = _pause
    elif old == Status.PENDING and new in OPEN_STATUSES:
        change = _resume
    elif new in (Status.SOLVED, Status.CLOSED) and old in OPEN_STATUSES:
        change = _stop
    elif new in OPEN_STATUSES and old not in OPEN_STATUSES:
        change = _settle  # reopened: undecided deadlines run again; resolution stays decided
    else:
        return
    clock = _clock(conversation)
    if clock is not None:
        change(clock, timezone.now())
        _save(clock)


def _pause(clock: ConversationSla, now: dt.datetime) -> None:
    if clock.paused_at:
        return
    policy = _policy(clock)
    calendar = policy.calendar if policy else business_hours.ALWAYS_OPEN
    left: dict[str, Any] = {}
    for target, due in _running(clock).items():
        if due > now:  # a deadline already missed stays missed
            left[target] = business_hours.business_time_between(now, due, calendar).total_seconds()
    clock.paused_at, clock.paused_left = now, left
    _settle(clock, now)


def _resume(clock: ConversationSla, now: dt.datetime) -> None:
    if not clock.paused_at:
        return
    policy = _policy(clock)
    calendar = policy.calendar if policy else business_hours.ALWAYS_OPEN
    for target, seconds in clock.paused_left.items():
        due = _deadline(now, dt.timedelta(seconds=seconds), calendar)
        setattr(clock, DUE_FIELDS[Target(target)], due)
    clock.paused_at, clock.paused_left = None, {}
    _settle(clock, now)


def _stop(clock: ConversationSla, now: dt.datetime) -> None:
    _decide(clock, Target.RESOLUTION, now)
    clock.next_response_due_at = None
    clock.paused_at, clock.paused_left = None, {}
    _settle(clock, now)
    # Nothing runs once solved, whatever was left undecided (no reply was ever sent).
    clock.due_at, clock.due_target = None, ""


def backfill(*, batch: int = 2000) -> int:
    """Give a clock to every open conversation without one (bulk-loaded or older than
    the SLA app), as if it had been opened under today's policies. Returns how many."""
    made = 0
    while True:
        cases = list(
            Conversation.objects.filter(is_open__in=[True], sla__isnull=True)
            .select_related("customer")
            .order_by("pk")[:batch]
        )
        if not cases:
            return made
        now = timezone.now()
        ConversationSla.objects.bulk_create([_backfilled(case, now) for case in cases])
        made += len(cases)


def _backfilled(conversation: Conversation, now: dt.datetime) -> ConversationSla:
    policy = policies.current().match(conversation.customer.tier_id, conversation.priority)
    clock = ConversationSla(conversation=conversation, policy_id=policy.id if policy else None)
    if policy:
        clock.first_response_due_at = _due(conversation.created_at, policy.first_response, policy)
        clock.resolution_due_at = _due(conversation.created_at, policy.resolution, policy)
        if conversation.first_response_at:
            _decide(clock, Target.FIRST_RESPONSE, conversation.first_response_at)
    _settle(clock, now)
    if conversation.status == Status.PENDING:
        _pause(clock, now)
    return clock
