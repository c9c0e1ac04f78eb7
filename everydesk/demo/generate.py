"""Generate realistic customers and conversations in bulk: the demo and the benchmarks.

One implementation serves both: `everydesk demo` loads a few thousand
conversations, `bench/generate.py` a million. Rows are written with bulk
inserts (COPY on PostgreSQL), one transaction per chunk, with ids taken from
the database (see bulk.allocate_ids) so a load appends safely to existing data.
The conversations themselves are replayed by story.py with the rules of the
actions, so the inbox, search and timelines behave as with real traffic.
"""

import bisect
import random
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connection, connections, transaction
from tqdm import tqdm

from everydesk.accounts.models import Role, Team, User
from everydesk.conversations import search
from everydesk.conversations.models import Conversation, Event, Message, Tag
from everydesk.conversations.search import postgres as search_postgres
from everydesk.customers.models import Customer, Organisation, Tier
from everydesk.demo import bulk, story
from everydesk.demo.texts import Composer, Details, ascii_slug, templates, words

T = TypeVar("T")
DAY = story.DAY
HISTORY_DAYS = 120
TIERS = (("standard", "Standard", 100), ("silver", "Silver", 50), ("vip", "VIP", 10))
TEAMS = ("Billing", "Shipping", "Product")
PERSONAL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "post.example")


class Weighted(Generic[T]):
    """A fixed weighted choice, drawn with one random number and a bisect."""

    def __init__(self, weights: dict[T, float]) -> None:
        self.items = list(weights)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


KINDS = Weighted({"complaint": 38, "question": 34, "praise": 13, "idea": 10, "other": 5})
CHANNELS = Weighted({"email": 45, "portal": 28, "form": 10, "phone": 10, "api": 7})
MESSAGE_COUNTS = Weighted({1: 14, 2: 30, 3: 30, 4: 16, 5: 10})
TIER_SHARE = Weighted({"standard": 75, "silver": 18, "vip": 7})
# Older conversations have mostly been dealt with; the last day is mostly still open.
STATUS_BY_AGE = (
    (1 * DAY, Weighted({"new": 45, "open": 30, "pending": 15, "solved": 8, "closed": 2})),
    (14 * DAY, Weighted({"new": 6, "open": 22, "pending": 15, "solved": 35, "closed": 22})),
    (None, Weighted({"new": 0.5, "open": 2, "pending": 2.5, "solved": 25, "closed": 70})),
)
PRIORITY_BY_KIND = {
    "complaint": Weighted({1: 8, 2: 30, 3: 52, 4: 10}),
    "question": Weighted({1: 3, 2: 15, 3: 62, 4: 20}),
    "praise": Weighted({3: 40, 4: 60}),
    "idea": Weighted({3: 30, 4: 70}),
    "other": Weighted({3: 50, 4: 50}),
}


@dataclass(frozen=True)
class PoolCustomer:
    id: int
    first_name: str
    tier: str | None


@dataclass(frozen=True)
class Cast:
    """The fixed people and vocabulary conversations are drawn from."""

    tiers: dict[str, int]
    teams: dict[str, int]
    tags: dict[str, int]
    agents: list[story.Person]
    employees: list[story.Person]


@dataclass(frozen=True)
class Summary:
    customers: int
    conversations: int
    messages: int
    events: int
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def generate(
    *,
    conversations: int,
    customers: int | None = None,
    messages: int | None = None,
    seed: int = 1,
    chunk_size: int = 20_000,
    include_customers: Sequence[int] = (),
    progress: bool = True,
) -> Summary:
    """Append `customers` new customers and `conversations` conversations.

    `messages` fixes the number of messages per conversation (1-5 at random
    otherwise). Without new customers the conversations go to existing ones;
    `include_customers` adds existing customers to the pool, first in line.
    """
    if messages is not None and not 1 <= messages <= 20:
        raise ValueError("messages must be between 1 and 20")
    started = time.perf_counter()
    rng = random.Random(seed)
    cast = ensure_cast()
    if customers is None:
        customers = 0 if include_customers else max(1, conversations // 5)
    pool = list(_existing_customers(include_customers))
    pool += create_customers(rng, customers, cast, progress=progress)
    if not pool:
        pool = list(_existing_customers(None))
    if conversations and not pool:
        raise ValueError("There are no customers to write the conversations.")
    loader = _ConversationLoader(rng, cast, pool, messages)
    rows = loader.load(conversations, chunk_size, progress=progress)
    tables = [m._meta.db_table for m in (Customer, Conversation, Message, Event)]
    bulk.refresh_statistics([*tables, search_postgres.TABLE])
    return Summary(
        customers,
        conversations,
        loader.messages,
        loader.events,
        rows + customers,
        time.perf_counter() - started,
    )


# --- the cast: tiers, teams, tags and staff ---------------------------------------


def ensure_cast() -> Cast:
    """The tiers, teams, tags and staff the generator needs, created when missing."""
    tiers = {
        slug: Tier.objects.get_or_create(slug=slug, defaults={"name": name, "rank": rank})[0].pk
        for slug, name, rank in TIERS
    }
    teams = {name: Team.objects.get_or_create(name=name)[0].pk for name in TEAMS}
    names = sorted({t for topic in words()["topics"].values() for t in topic["tags"]} | {"vip"})
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    if not _staff(Role.ADMIN, Role.AGENT):
        _create_generated_agents(list(teams.values()))
    return Cast(tiers, teams, tags, _staff(Role.ADMIN, Role.AGENT), _staff(Role.EMPLOYEE))


def _staff(*roles: Role) -> list[story.Person]:
    users = User.objects.filter(is_active=True, role__in=roles).prefetch_related("teams")
    return [
        story.Person(
            user.pk,
            user.first_name or user.display_name,
            user.display_name,
            frozenset(team.pk for team in user.teams.all()),
        )
        for user in users.order_by("pk")
    ]


def _create_generated_agents(team_ids: list[int]) -> None:
    """A small staff for a database that has none (benchmarks); they cannot sign in."""
    w = words()
    for i in range(8):
        first, last = w["first_names"][i * 7], w["last_names"][i * 5]
        email = f"{ascii_slug(first)}.{ascii_slug(last)}@staff.example"
        user = User.objects.create_user(
            username=email,
            email=email,
            password=None,
            first_name=first,
            last_name=last,
            role=Role.AGENT,
        )
        user.teams.add(team_ids[i % len(team_ids)])


# --- customers --------------------------------------------------------------------


def create_customers(
    rng: random.Random, count: int, cast: Cast, *, progress: bool = True
) -> list[PoolCustomer]:
    if count <= 0:
        return []
    organisations = _organisations(min(max(2, count // 30), 500))
    taken = set(Customer.objects.values_list("email", flat=True))
    now = time.time()
    table = bulk.Table(
        Customer,
        [
            "id",
            "name",
            "email",
            "phone",
            "organisation_id",
            "tier_id",
            "user_id",
            "email_bouncing_since",
            "email_bounce_reason",
            "created_at",
            # Order figures start empty; demo/orders.py imports orders afterwards.
            "lifetime_value",
            "order_count",
            "last_order_at",
            "tier_locked",
            "tier_reason",
        ],
    )
    stamp = bulk.stamp_converter()
    pool: list[PoolCustomer] = []
    ids = bulk.IdSource(Customer)
    with tqdm(total=count, unit="customer", disable=not progress, file=sys.stderr) as bar:
        for offset in range(0, count, 50_000):
            size = min(50_000, count - offset)
            rows = []
            for pk in ids.take(size):
                row, member = _customer_row(rng, pk, cast, organisations, taken, now, stamp)
                rows.append(row)
                pool.append(member)
            with transaction.atomic():
                table.insert(rows)
            bar.update(size)
    return pool


def _customer_row(rng, pk, cast, organisations, taken, now, stamp):  # type: ignore[no-untyped-def]
    w = words()
    first, last = rng.choice(w["first_names"]), rng.choice(w["last_names"])
    organisation = rng.choice(organisations) if rng.random() < 0.2 else None
    domain = organisation[1] if organisation else rng.choice(PERSONAL_DOMAINS)
    local = ascii_slug(f"{first} {last}")
    email = f"{local}@{domain}"
    if email in taken:
        email = f"{local}{pk}@{domain}"
    taken.add(email)
    tier = TIER_SHARE.pick(rng)
    created = now - HISTORY_DAYS * DAY - rng.uniform(0, 400 * DAY)
    row = (
        pk,
        f"{first} {last}",
        email,
        _phone(rng),
        organisation[0] if organisation else None,
        cast.tiers[tier],
        None,
        None,  # not bouncing
        "",
        stamp(created),
        0,
        0,
        None,
        False,
        "",
    )
    return row, PoolCustomer(pk, first, tier)


def _phone(rng: random.Random) -> str:
    # Numbers from ranges reserved for fiction, so no real person is ever dialled.
    roll = rng.random()
    if roll < 0.2:
        return f"+1 202 555 01{rng.randint(0, 99):02d}"
    if roll < 0.35:
        return f"+44 20 7946 0{rng.randint(0, 999):03d}"
    return ""


def _organisations(count: int) -> list[tuple[int, str]]:
    """(id, email domain) of `count` organisations, reusing those of earlier runs."""
    w = words()
    names = list(w["companies"])
    names += [f"{company} {city}" for city in w["cities"] for company in w["companies"]]
    names = names[:count]
    existing = set(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    Organisation.objects.bulk_create(
        [
            Organisation(name=n, domain=ascii_slug(n, "-") + ".example")
            for n in names
            if n not in existing
        ]
    )
    return list(Organisation.objects.filter(name__in=names).values_list("pk", "domain"))


def _existing_customers(ids: Sequence[int] | None) -> list[PoolCustomer]:
    queryset = Customer.objects.all() if ids is None else Customer.objects.filter(pk__in=ids)
    return [
        PoolCustomer(pk, (name.split() or [email.split("@")[0]])[0], tier)
        for pk, name, email, tier in queryset.order_by("pk").values_list(
            "pk", "name", "email", "tier__slug"
        )
    ]


# --- conversations ----------------------------------------------------------------


class _ChunkWriter:
    """Writes chunks on background threads, each with its own connection, while the
    next chunk is built.

    Building rows is Python work and writing them mostly database work
    (tokenising for search, index upkeep, foreign-key checks at commit), so on
    two cores the two overlap. PostgreSQL gets two writers, as its share is
    the larger; SQLite has one write lock, so one. At most `writers` chunks
    wait, which bounds memory. Inside a caller's transaction (tests) the rows
    must go through the caller's connection, so then writing happens in line.
    """

    def __init__(self, *, writers: int) -> None:
        self.writers = writers
        self.executor = ThreadPoolExecutor(writers, "generator") if writers else None
        self.pending: list[Future[None]] = []

    def submit(self, write: Callable[[story.Rows], None], rows: story.Rows) -> None:
        if self.executor is None:
            write(rows)
            return
        while len(self.pending) >= self.writers:
            self.pending.pop(0).result()  # re-raises a writer's error here
        self.pending.append(self.executor.submit(self._write_and_disconnect, write, rows))

    @staticmethod
    def _write_and_disconnect(write: Callable[[story.Rows], None], rows: story.Rows) -> None:
        # A connection belongs to the thread that opened it; reconnecting per
        # chunk costs milliseconds next to seconds of writing.
        try:
            write(rows)
        finally:
            connections.close_all()

    def __enter__(self) -> "_ChunkWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            while self.pending:
                self.pending.pop(0).result()
        finally:
            if self.executor is not None:
                self.executor.shutdown()


class _ConversationLoader:
    def __init__(
        self, rng: random.Random, cast: Cast, pool: list[PoolCustomer], messages: int | None
    ) -> None:
        self.rng, self.cast, self.pool, self.fixed_messages = rng, cast, pool, messages
        # A few customers write often, most write once or twice (Zipf-like).
        self.customers = Weighted({i: 1.0 / (i + 30) for i in range(len(pool))})
        topic_weights = {name: t["weight"] for name, t in words()["topics"].items()}
        self.topics = Weighted(topic_weights)
        self.stamp = bulk.stamp_converter()
        self.messages = self.events = 0
        self.conversation_ids = bulk.IdSource(Conversation)
        self.message_ids = bulk.IdSource(Message)
        self.tables = (
            bulk.Table(
                Conversation,
                [
                    "id",
                    "subject",
                    "customer_id",
                    "kind",
                    "status",
                    "priority",
                    "channel",
                    "assignee_id",
                    "team_id",
                    "merged_into_id",
                    "follow_up_of_id",
                    "created_at",
                    "updated_at",
                    "last_customer_message_at",
                    "first_response_at",
                    "solved_at",
                    "sentiment",
                    "urgency",
                    "priority_score",
                    "priority_reasons",
                ],
            ),
            bulk.Table(
                Message,
                [
                    "id",
                    "conversation_id",
                    "kind",
                    "author_user_id",
                    "author_customer_id",
                    "body_text",
                    "body_html",
                    "channel",
                    "created_at",
                ],
            ),
            bulk.Table(
                Event, ["conversation_id", "type", "actor_id", "data", "created_at"], db_ids=True
            ),
            bulk.Table(Conversation.tags.through, ["conversation_id", "tag_id"], db_ids=True),
        )

    def load(self, total: int, chunk_size: int, *, progress: bool) -> int:
        now = time.time()
        start = now - HISTORY_DAYS * DAY
        span = HISTORY_DAYS * DAY - 60.0
        written = 0
        writers = 0 if connection.in_atomic_block else (2 if bulk.is_postgres() else 1)
        with (
            _ChunkWriter(writers=writers) as writer,
            tqdm(total=total, unit="conv", disable=not progress, file=sys.stderr) as bar,
        ):
            for offset in range(0, total, chunk_size):
                size = min(chunk_size, total - offset)
                # Ids grow with time, as with real traffic: spread evenly, jittered.
                times = [
                    start + span * (offset + i + self.rng.random()) / total for i in range(size)
                ]
                rows = self._chunk(times, now)
                writer.submit(self._write, rows)
                written += rows.count()
                bar.update(size)
        return written

    def _chunk(self, times: list[float], now: float) -> story.Rows:
        plans = [self._plan(opened_at, now) for opened_at in times]
        message_count = sum(
            1 + sum(s.what in ("customer", "reply", "note") for s in plan.steps)
            for plan, _ in plans
        )
        message_ids = iter(self.message_ids.take(message_count))
        rows = story.Rows()
        conversation_ids = self.conversation_ids.take(len(plans))
        for conversation_id, opened_at, (plan, composer) in zip(
            conversation_ids, times, plans, strict=True
        ):
            story.replay(
                rows,
                self.stamp,
                plan,
                conversation_id=conversation_id,
                opened_at=opened_at,
                now=now,
                message_ids=message_ids,
                composer=composer,
            )
        self.messages += len(rows.messages)
        self.events += len(rows.events)
        return rows

    def _write(self, rows: story.Rows) -> None:
        conversations, messages, events, tags = self.tables
        with transaction.atomic():
            bulk.speed_up_transaction()
            conversations.insert(rows.conversations)
            messages.insert(rows.messages)
            events.insert(rows.events)
            tags.insert(rows.tags)
            search.bulk_add(rows.documents)

    def _plan(self, opened_at: float, now: float) -> tuple[story.Plan, Composer]:
        rng, cast = self.rng, self.cast
        customer = self.pool[self.customers.pick(rng)]
        kind = KINDS.pick(rng)
        topic = self.topics.pick(rng)
        status = _status_for_age(rng, now - opened_at)
        priority = PRIORITY_BY_KIND[kind].pick(rng)
        if customer.tier == "vip" and priority > 1 and rng.random() < 0.5:
            priority -= 1
        channel = CHANNELS.pick(rng)
        # "Other" messages (press, partnerships) have no topic, team or topic tags.
        team_name = words()["topics"][topic]["team"] if kind != "other" else None
        team_id = cast.teams[team_name] if team_name and rng.random() < 0.85 else None
        assignee = self._assignee(status, team_id)
        responder = assignee or rng.choice(cast.agents)
        tag_names = self._tags(topic, kind, customer, status, assignee)
        count = self.fixed_messages or MESSAGE_COUNTS.pick(rng)
        kinds = story.message_kinds(rng, count, status)
        steps = story.plan_steps(
            rng, kinds, status, priority, assignee is not None, bool(tag_names)
        )
        plan = story.Plan(
            customer_id=customer.id,
            customer_first_name=customer.first_name,
            kind=kind,
            status=status,
            priority=priority,
            channel=channel,
            team_id=team_id,
            assignee=assignee,
            responder=responder,
            tag_ids=tuple(cast.tags[name] for name in tag_names),
            tag_names=tag_names,
            opened_by=responder.id if channel == "phone" else None,
            steps=steps,
        )
        details = Details(rng, name=customer.first_name, agent=responder.first_name)
        return plan, Composer(rng, templates(topic, kind), kind, details)

    def _assignee(self, status: str, team_id: int | None) -> story.Person | None:
        rng = self.rng
        if rng.random() >= (0.2 if status == "new" else 0.92):
            return None
        if team_id and rng.random() < 0.1:
            members = [p for p in self.cast.employees if team_id in p.team_ids]
            if members:
                return rng.choice(members)
        return rng.choice(self.cast.agents)

    def _tags(
        self,
        topic: str,
        kind: str,
        customer: PoolCustomer,
        status: str,
        assignee: story.Person | None,
    ) -> tuple[str, ...]:
        rng = self.rng
        if (status == "new" and assignee is None) or kind == "other" or rng.random() < 0.4:
            return ()
        names = set(rng.sample(words()["topics"][topic]["tags"], rng.randint(1, 2)))
        if customer.tier == "vip":
            names.add("vip")
        return tuple(sorted(names))


def _status_for_age(rng: random.Random, age: float) -> str:
    for limit, weights in STATUS_BY_AGE:
        if limit is None or age < limit:
            return weights.pick(rng)
    raise AssertionError("unreachable")
