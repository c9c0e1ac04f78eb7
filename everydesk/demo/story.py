"""What happened to one generated conversation, replayed with the rules of the actions.

The generator cannot call conversations/actions.py a million times, so this
module plays the same script: it opens the conversation, assigns it, tags it,
lets the customer and the agents write, and changes the status, applying the
rules the actions apply (a reply moves a new conversation to open, a customer
message reopens a pending or solved one, solving sets `solved_at`, the first
reply sets `first_response_at`) and writing the same timeline events with the
same data. The rows come out exactly as the actions would have left them.
"""

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from everydesk.conversations.models import OPEN_STATUSES, EventType, MessageKind, Status

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
# Seconds an agent takes to answer, by priority (1 = urgent): a range to draw from.
REPLY_DELAY = {
    1: (5 * MINUTE, HOUR),
    2: (15 * MINUTE, 4 * HOUR),
    3: (30 * MINUTE, DAY),
    4: (2 * HOUR, 3 * DAY),
}
_dumps = json.dumps


def _message_data(message_id: int) -> str:
    # The same text json.dumps({"message": id}) gives, a third of the cost.
    return f'{{"message": {message_id}}}'


@dataclass(frozen=True)
class Person:
    """A staff member as the generator needs them: id, names and teams."""

    id: int
    first_name: str
    display_name: str
    team_ids: frozenset[int] = frozenset()


@dataclass
class Rows:
    """Rows of one chunk, ready for bulk.Table.insert, plus the search documents."""

    conversations: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[int, int]] = field(default_factory=list)
    documents: list[tuple[int, str]] = field(default_factory=list)

    def count(self) -> int:
        return sum(
            map(len, (self.conversations, self.messages, self.events, self.tags, self.documents))
        )


@dataclass
class Step:
    """One thing that happens after the conversation is opened."""

    what: str  # "assign", "tags", "customer", "reply", "note", "status"
    delay: float
    status: str | None = None


class Replay:
    """Applies one conversation's steps with the actions' rules and collects its rows."""

    def __init__(self, rows: Rows, stamp: Callable[[float], Any], conversation_id: int) -> None:
        self.rows, self.stamp, self.id = rows, stamp, conversation_id
        self.status = Status.NEW.value
        self.solved_at: float | None = None
        self.first_response_at: float | None = None
        self.last_customer_at: float | None = None
        self.updated_at = 0.0
        self.texts: list[str] = []

    def event(self, at: float, type_: str, actor: int | None, data: dict[str, Any] | str) -> None:
        encoded = data if isinstance(data, str) else _dumps(data)
        self.rows.events.append((self.id, type_, actor, encoded, self.stamp(at)))
        self.updated_at = at

    def message(
        self,
        at: float,
        message_id: int,
        kind: str,
        user: int | None,
        customer: int | None,
        text: str,
        channel: str,
    ) -> None:
        self.rows.messages.append(
            (message_id, self.id, kind, user, customer, text, "", channel, self.stamp(at))
        )
        self.texts.append(text)
        self.updated_at = at

    def set_status(self, at: float, actor: int | None, new: str) -> None:
        self.event(at, EventType.STATUS_CHANGED, actor, {"old": self.status, "new": new})
        self.status = new
        if new == Status.SOLVED:
            self.solved_at = at
        elif new in OPEN_STATUSES:
            self.solved_at = None

    def customer_wrote(self, at: float, message_id: int, *, first: bool) -> None:
        self.last_customer_at = at
        if first:
            return  # open_conversation records only the "opened" event
        self.event(at, EventType.CUSTOMER_MESSAGE, None, _message_data(message_id))
        if self.status in (Status.PENDING, Status.SOLVED):
            self.set_status(at, None, Status.OPEN)

    def replied(self, at: float, author: int, message_id: int, status: str | None) -> None:
        self.event(at, EventType.REPLIED, author, _message_data(message_id))
        if self.first_response_at is None:
            self.first_response_at = at
        new = status or (Status.OPEN if self.status == Status.NEW else None)
        if new and new != self.status:
            self.set_status(at, author, new)


@dataclass(frozen=True)
class Plan:
    """Everything decided up front about one conversation."""

    customer_id: int
    customer_first_name: str
    kind: str
    status: str
    priority: int
    channel: str
    team_id: int | None
    assignee: Person | None
    responder: Person  # who replies and writes notes when nobody is assigned
    tag_ids: tuple[int, ...]
    tag_names: tuple[str, ...]
    opened_by: int | None
    steps: tuple[Step, ...]


def message_kinds(rng: random.Random, count: int, status: str) -> list[str]:
    """The kinds of messages 2..count: customer and agent take turns, with the odd note.

    A conversation that is still new has had no reply (a reply would open it),
    and one that ends pending, solved or closed ends with the agent's reply.
    """
    kinds: list[str] = []
    last_public = "customer"
    for _ in range(count - 1):
        if status != Status.NEW and rng.random() < 0.1:
            kinds.append("note")
        elif status == Status.NEW:
            kinds.append("note" if rng.random() < 0.3 else "customer")
        else:
            last_public = "reply" if last_public == "customer" else "customer"
            kinds.append(last_public)
    if status in (Status.PENDING, Status.SOLVED, Status.CLOSED) and kinds:
        publics = [i for i, kind in enumerate(kinds) if kind != "note"]
        kinds[publics[-1] if publics else -1] = "reply"
    return kinds


def plan_steps(
    rng: random.Random, kinds: list[str], status: str, priority: int, assigned: bool, tagged: bool
) -> tuple[Step, ...]:
    steps: list[Step] = []
    if assigned:
        steps.append(Step("assign", rng.uniform(MINUTE, 90 * MINUTE)))
    if tagged:
        steps.append(Step("tags", rng.uniform(MINUTE, 30 * MINUTE)))
    replies = [i for i, kind in enumerate(kinds) if kind == "reply"]
    for i, kind in enumerate(kinds):
        if kind == "reply":
            steps.append(
                Step(
                    "reply",
                    rng.uniform(*REPLY_DELAY[priority]),
                    _reply_status(rng, status, last=i == replies[-1]),
                )
            )
        elif kind == "customer":
            steps.append(Step("customer", rng.uniform(HOUR, 2 * DAY)))
        else:
            steps.append(Step("note", rng.uniform(5 * MINUTE, 3 * HOUR)))
    if status == Status.CLOSED:
        steps.append(Step("status", rng.uniform(2 * DAY, 7 * DAY), Status.CLOSED))
    # Whatever the replies left, the agent finally sets the planned status.
    steps.append(Step("status", rng.uniform(10 * MINUTE, 4 * HOUR), status))
    return tuple(steps)


def _reply_status(rng: random.Random, status: str, *, last: bool) -> str | None:
    if last and status in (Status.PENDING, Status.SOLVED):
        return status
    if last and status == Status.CLOSED:
        return Status.SOLVED
    return Status.PENDING if rng.random() < 0.4 else None


def replay(
    rows: Rows,
    stamp: Callable[[float], Any],
    plan: Plan,
    *,
    conversation_id: int,
    opened_at: float,
    now: float,
    message_ids: Iterator[int],
    composer: Any,
) -> None:
    """Append the rows of one conversation, its timeline squeezed to end before `now`."""
    r = Replay(rows, stamp, conversation_id)
    subject = composer.subject()
    r.message(
        opened_at,
        next(message_ids),
        MessageKind.CUSTOMER,
        None,
        plan.customer_id,
        composer.opening(),
        plan.channel,
    )
    r.customer_wrote(opened_at, 0, first=True)
    r.event(opened_at, EventType.OPENED, plan.opened_by, {"channel": plan.channel})
    at = opened_at
    scale = _squeeze(plan.steps, opened_at, now)
    agent = plan.assignee or plan.responder
    for step in plan.steps:
        at += step.delay * scale
        _apply(r, step, at, plan, agent, message_ids, composer)
    rows.conversations.append(
        (
            conversation_id,
            subject,
            plan.customer_id,
            plan.kind,
            r.status,
            plan.priority,
            plan.channel,
            plan.assignee.id if plan.assignee else None,
            plan.team_id,
            None,  # merged_into
            None,  # follow_up_of
            stamp(opened_at),
            stamp(r.updated_at),
            _maybe(stamp, r.last_customer_at),
            _maybe(stamp, r.first_response_at),
            _maybe(stamp, r.solved_at),
            None,  # sentiment: set when the listening jobs score the messages
            0,  # urgency
            0,  # priority_score: set by the SLA check (sla/evaluation.py)
            "[]",  # priority_reasons
        )
    )
    rows.tags.extend((conversation_id, tag_id) for tag_id in plan.tag_ids)
    rows.documents.append((conversation_id, "\n".join([subject, *r.texts])))


def _apply(
    r: Replay,
    step: Step,
    at: float,
    plan: Plan,
    agent: Person,
    message_ids: Iterator[int],
    composer: Any,
) -> None:
    if step.what == "reply":
        message_id = next(message_ids)
        r.message(
            at,
            message_id,
            MessageKind.REPLY,
            agent.id,
            None,
            composer.reply(status=step.status),
            "portal",
        )
        r.replied(at, agent.id, message_id, step.status)
    elif step.what == "customer":
        message_id = next(message_ids)
        after_solution = r.status == Status.SOLVED
        r.message(
            at,
            message_id,
            MessageKind.CUSTOMER,
            None,
            plan.customer_id,
            composer.follow_up(after_solution=after_solution),
            plan.channel,
        )
        r.customer_wrote(at, message_id, first=False)
    elif step.what == "note":
        message_id = next(message_ids)
        r.message(at, message_id, MessageKind.NOTE, agent.id, None, composer.note(), "portal")
        r.event(at, EventType.NOTE_ADDED, agent.id, _message_data(message_id))
    elif step.what == "assign" and plan.assignee:
        r.event(
            at,
            EventType.ASSIGNED,
            plan.assignee.id,
            {"old": None, "new": plan.assignee.display_name},
        )
    elif step.what == "tags":
        r.event(
            at, EventType.TAGS_CHANGED, agent.id, {"added": sorted(plan.tag_names), "removed": []}
        )
    elif step.what == "status" and step.status != r.status:
        r.set_status(at, agent.id, step.status or r.status)


def _squeeze(steps: tuple[Step, ...], opened_at: float, now: float) -> float:
    """Shrink the delays of a recent conversation so nothing happens in the future."""
    total = sum(step.delay for step in steps)
    room = max(now - opened_at - 30.0, 0.0)
    return 1.0 if total <= room else room / total


def _maybe(stamp: Callable[[float], Any], value: float | None) -> Any:
    return None if value is None else stamp(value)
