"""Import a generated maildir into a fresh everydesk per database, and check every message.

    python bench/ingest.py                       # 10,000 messages, SQLite and PostgreSQL,
                                                 # then the first 1,000 against django-helpdesk
    python bench/ingest.py --count 2000 --engines sqlite --peer 0 --json

For each database it starts from nothing (a new data directory; for PostgreSQL the
database --pg-name, dropped and created again), migrates, creates the mailbox, then
runs `everydesk import-mail MAILDIR --mailbox ... --progress` as a user would and
times it from start to exit (Python and Django start-up included). `--via loop`
drives `inbound.receive` in process instead and adds the time per kind of message;
`--via statements` runs the command's `import_mail` in process and counts the SQL
statements per message and the CPU of the importer, its parse workers and (on a
local PostgreSQL) the server process: the figures to compare on a busy machine.

Then it checks the result exactly against bench/mailgen.py's manifest: one stored
row per distinct message and none pending or quarantined; every message with the
outcome the manifest expects (new conversation, added, auto-reply, bounce, own
mail); every thread in exactly one conversation of its own; one Message per
conversation-forming email and no more; the attachments, customers and bouncing
addresses expected; no acknowledgement sent (imports are history); and the
import's own summary (duplicates skipped, ...) agreeing with all of it.

`--peer N` then measures the first N messages on both sides, back to back: ours
(SQLite, the same command) and django-helpdesk 2.6.1's `get_email` on a local
folder (bench/peer_mail.py), with its stock SQLite settings and with ours.
See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import peer_mail
from mailgen import (
    ADDED,
    AUTO,
    BOUNCE,
    DUPLICATE,
    MANIFEST,
    NEW,
    OWN,
    Manifest,
    delivery_order,
    expected_counts,
    generate,
)
from peer_mail import PeerRun

RESULTS = Path(__file__).with_name("results")
TARGET_PER_SECOND = 200
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Run:
    """One import into one fresh database, and what the checks found."""

    label: str
    engine: str
    messages: int
    seconds: float  # wall clock of the import (the whole command, or the loop)
    cpu_seconds: float  # of the importing process
    peak_rss_mib: float
    summary: dict[str, int] = field(default_factory=dict)
    by_kind_ms: dict[str, float] = field(default_factory=dict)  # --via loop only
    # --via statements only: SQL statements per message by kind, CPU ms per message
    statements: dict[str, float] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    checks: int = 0

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "messages_per_s": round(self.per_second, 1)}


# --- the parent: fresh databases, the import, the checks -------------------------------


def ensure_maildir(path: Path, count: int, seed: int) -> Manifest:
    try:
        manifest = Manifest.load(path)
        if manifest.count == count and manifest.seed == seed:
            return manifest
    except (OSError, ValueError, TypeError):
        pass
    print(f"generating {count:,} messages into {path} ...", flush=True)
    return generate(path, count, seed)


def subset(manifest: Manifest, maildir: Path, first: int, out: Path) -> tuple[Manifest, Path, Path]:
    """The first `first` messages as a maildir of their own (with its manifest) and as
    one flat folder for the peer."""
    shutil.rmtree(out, ignore_errors=True)
    box, flat = out / "maildir", out / "flat"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    flat.mkdir()
    for path in delivery_order(maildir)[:first]:
        shutil.copyfile(path, box / path.parent.name / path.name)
        shutil.copyfile(path, flat / path.name.split(":")[0])
    part = Manifest(
        seed=manifest.seed,
        count=first,
        mailbox=manifest.mailbox,
        deliveries=manifest.deliveries[:first],
        digest="",
    )
    (box / MANIFEST).write_text(part.to_json())
    return part, box, flat


def fresh_environment(engine: str, pg_name: str) -> tuple[dict[str, str], Path]:
    data = Path(tempfile.mkdtemp(prefix=f"everydesk-ingest-{engine}-"))
    env = {**os.environ, "EVERYDESK_DATA_DIR": str(data)}
    env["DJANGO_SETTINGS_MODULE"] = "everydesk.settings"
    env.pop("DATABASE_URL", None)
    if engine == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{pg_name}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
    return env, data


def child(step: str, env: dict[str, str], *args: str) -> dict[str, object]:
    """Run one step of this script in a fresh process with `env`; its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"step {step} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_command(env: dict[str, str], maildir: Path, mailbox: str, log: Path) -> Run:
    """`everydesk import-mail` as a user runs it, timed from start to exit."""
    command = [
        str(Path(sys.executable).with_name("everydesk")),
        "import-mail",
        str(maildir),
        "--mailbox",
        mailbox,
        "--progress",
    ]
    with log.open("wb") as progress:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=progress)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(f"import-mail failed ({status}):\n{out.decode()}\nsee {log}")
    return Run(
        label="",
        engine="",
        messages=0,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mib=usage.ru_maxrss / 1024,
        summary=read_summary(out.decode()),
    )


def read_summary(text: str) -> dict[str, int]:
    """'Duplicates skipped:   12' -> {'duplicates skipped': 12}."""
    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z][A-Za-z -]+):\s+([\d,]+)$", line.strip())
        if match:
            found[match.group(1).strip().lower()] = int(match.group(2).replace(",", ""))
    return found


def measure(
    label: str,
    engine: str,
    maildir: Path,
    manifest: Manifest,
    first: int,
    options: argparse.Namespace,
) -> Run:
    env, data = fresh_environment(engine, options.pg_name)
    try:
        child("prepare", env, "--maildir", str(maildir))
        print(f"{label}: importing {first:,} messages ({engine}) ...", flush=True)
        if options.via == "command":
            run = import_command(env, maildir, manifest.mailbox, data / "progress.log")
        else:
            run = Run(**child(options.via, env, "--maildir", str(maildir)))  # type: ignore[arg-type]
        run.label, run.engine, run.messages = label, engine, first
        verdict = child("verify", env, "--maildir", str(maildir))
        run.checks = int(verdict["checks"])  # type: ignore[call-overload]
        run.failures = list(verdict["failures"])  # type: ignore[call-overload]
        expected = expected_counts(manifest.deliveries[:first])
        # The loop counts only what receive() tells it; the command's summary says it all.
        run.failures += check_summary(run.summary, expected, every=options.via == "command")
        return run
    finally:
        if not options.keep:
            shutil.rmtree(data, ignore_errors=True)


def check_summary(summary: dict[str, int], expected: dict[str, int], *, every: bool) -> list[str]:
    """The import's own summary must tell the same story as the database."""
    wanted = {
        "stored": expected["distinct"],
        "duplicates skipped": expected[DUPLICATE],
        "new conversations": expected[NEW],
        "added to conversations": expected[ADDED],
        "auto-replies and bounces": expected[AUTO] + expected[BOUNCE],
        "quarantined": 0,
        "ignored": expected[OWN],
    }
    return [
        f"summary '{name}': {summary.get(name)} (expected {value})"
        for name, value in wanted.items()
        if (every or name in summary) and summary.get(name) != value
    ]


# --- the child steps (run with the environment of one fresh database) ------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()


def step_prepare(maildir: Path) -> dict[str, object]:
    setup_django()
    from django.core.management import call_command

    from everydesk.mail.models import Mailbox

    call_command("migrate", interactive=False, verbosity=0)
    Mailbox.objects.create(name="Support", address=Manifest.load(maildir).mailbox)
    return {"ok": True}


def step_loop(maildir: Path) -> dict[str, object]:
    """inbound.receive for each file in order, as import-mail does, timed per kind."""
    import resource

    setup_django()
    from everydesk.mail import inbound
    from everydesk.mail.models import Mailbox, Source

    manifest = Manifest.load(maildir)
    mailbox = Mailbox.objects.get(address=manifest.mailbox)
    files = delivery_order(maildir)
    spent: defaultdict[str, float] = defaultdict(float)
    summary: Counter[str] = Counter()
    started, cpu = time.perf_counter(), time.process_time()
    for path, delivery in zip(files, manifest.deliveries, strict=False):
        began = time.perf_counter()
        received = inbound.receive(
            path.read_bytes(),
            source=Source.IMPORT,
            mailbox=mailbox,
            envelope_recipients=[mailbox.address],
            history=True,
        )
        spent[delivery.kind] += time.perf_counter() - began
        summary["stored" if received.created else "duplicates skipped"] += 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    kinds = Counter(d.kind for d in manifest.deliveries[: len(files)])
    return {
        "label": "",
        "engine": "",
        "messages": len(files),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "summary": dict(summary),
        "by_kind_ms": {k: round(spent[k] * 1000 / kinds[k], 2) for k in sorted(spent)},
    }


def step_statements(maildir: Path) -> dict[str, object]:
    """import_mail in process, as the command runs it, with every statement counted.

    CPU per message of this process, of the parse-ahead workers and, on a local
    PostgreSQL, of the server process serving this connection (from /proc).
    """
    import resource

    setup_django()
    from django.db import connection

    from everydesk.mail.doors.importer import import_mail
    from everydesk.mail.models import Mailbox

    mailbox = Mailbox.objects.get(address=Manifest.load(maildir).mailbox)
    counted: Counter[str] = Counter()

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        counted[sql.lstrip().split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    def transactions(original, kind):  # type: ignore[no-untyped-def]
        # COMMIT (and BEGIN on PostgreSQL) do not pass through cursors: count them here.
        def counting(*args):  # type: ignore[no-untyped-def]
            if kind == "COMMIT" or args == (False,):
                counted[kind] += 1
            return original(*args)

        return counting

    connection.commit = transactions(connection.commit, "COMMIT")  # type: ignore[method-assign]
    if connection.vendor == "postgresql":  # SQLite's BEGIN is a statement, counted already
        connection._set_autocommit = transactions(connection._set_autocommit, "BEGIN")  # type: ignore[method-assign]
    server = _server_cpu(connection)
    before_self = resource.getrusage(resource.RUSAGE_SELF)
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        summary = import_mail(maildir, mailbox=mailbox, progress=False)
    seconds = time.perf_counter() - started
    server = _server_cpu(connection) - server
    own = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(before_self)
    workers = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(before_children)
    messages = summary.stored + summary.duplicates
    return {
        "label": "",
        "engine": "",
        "messages": messages,
        "seconds": seconds,
        "cpu_seconds": own + workers,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "summary": {"stored": summary.stored, "duplicates skipped": summary.duplicates},
        "statements": {k: round(v / messages, 2) for k, v in sorted(counted.items())},
        "cpu_ms": {
            "importer": round(own * 1000 / messages, 2),
            "parse workers": round(workers * 1000 / messages, 2),
            "server": round(server * 1000 / messages, 2),
        },
    }


def _cpu(usage: object) -> float:
    return float(usage.ru_utime + usage.ru_stime)  # type: ignore[attr-defined]


def _server_cpu(connection: object) -> float:
    """CPU seconds of the PostgreSQL process behind `connection`, if it runs here."""
    if connection.vendor != "postgresql":  # type: ignore[attr-defined]
        return 0.0
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # a server on another machine
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_verify(maildir: Path) -> dict[str, object]:
    """Every count and every message against the manifest; a list of what disagrees."""
    setup_django()
    from everydesk.conversations.models import Attachment, Conversation, Message
    from everydesk.customers.models import Customer
    from everydesk.mail.models import Delivery, InboundEmail, InboundState

    manifest = Manifest.load(maildir)
    files = delivery_order(maildir)
    deliveries = manifest.deliveries[: len(files)]
    expected = expected_counts(deliveries)
    checks: list[tuple[str, object, object]] = []

    def check(name: str, got: object, want: object) -> None:
        checks.append((name, got, want))

    # Each stored row by its Message-ID, or by the hash of its bytes when it has none
    # (the same identity everydesk's dedupe uses, read back without its internals).
    rows: dict[str, tuple[str, str, int | None, int | None]] = {}
    for header_id, state, outcome, conversation, message, pk in InboundEmail.objects.values_list(
        "header_id", "state", "outcome", "conversation_id", "message_id", "pk"
    ):
        if not header_id:
            raw = bytes(InboundEmail.objects.values_list("raw", flat=True).get(pk=pk))
            header_id = "sha:" + hashlib.sha256(raw).hexdigest()
        rows[header_id] = (state, outcome, conversation, message)
    check("stored rows", len(rows), expected["distinct"])
    states = Counter(state for state, *_ in rows.values())
    check("pending", states[InboundState.PENDING], 0)
    check("quarantined", states[InboundState.QUARANTINED], 0)
    quarantined = InboundEmail.objects.filter(state=InboundState.QUARANTINED)
    check("quarantine reasons", list(quarantined.values_list("reason", flat=True)[:3]), [])
    outcomes = Counter(outcome for _, outcome, *_ in rows.values())
    for outcome in (NEW, ADDED, AUTO, BOUNCE, OWN):
        check(f"outcome {outcome}", outcomes[outcome], expected[outcome])

    # Message by message: its outcome, and the conversation of its thread.
    wrong: list[str] = []
    thread_conversations: defaultdict[int, set[int]] = defaultdict(set)
    for path, delivery in zip(files, deliveries, strict=False):
        if delivery.outcome == DUPLICATE:
            continue
        identity = delivery.message_id or "sha:" + hashlib.sha256(path.read_bytes()).hexdigest()
        row = rows.get(identity)
        if row is None or row[1] != delivery.outcome:
            wrong.append(f"{path.name}: {row and row[1]} (expected {delivery.outcome})")
        elif delivery.thread is not None and row[2] is not None:
            thread_conversations[delivery.thread].add(row[2])
    check("messages with the wrong outcome", wrong[:5], [])
    split = [t for t, found in thread_conversations.items() if len(found) != 1]
    check("threads split over conversations", len(split), 0)
    owners = Counter(next(iter(c)) for c in thread_conversations.values() if len(c) == 1)
    check("conversations shared by threads", sum(1 for n in owners.values() if n > 1), 0)

    linked = [m for *_, m in rows.values() if m is not None]
    check("conversations", Conversation.objects.count(), expected[NEW])
    check("messages", Message.objects.count(), expected[NEW] + expected[ADDED])
    check("messages linked from stored mail", len(set(linked)), expected[NEW] + expected[ADDED])
    check("attachments", Attachment.objects.count(), expected["attachments"])
    check("customers", Customer.objects.count(), expected["customers"])
    check(
        "bouncing customers",
        Customer.objects.filter(email_bouncing_since__isnull=False).count(),
        expected["bouncing"],
    )
    check("acknowledgements queued", Delivery.objects.count(), 0)
    failures = [f"{name}: {got!r} (expected {want!r})" for name, got, want in checks if got != want]
    return {"checks": len(checks), "failures": failures}


# --- report ----------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    lines = [
        "| run | database | messages | seconds | messages/s | CPU s | peak RSS MiB | checks |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        verdict = "all ok" if not r.failures else f"{len(r.failures)} FAILED"
        lines.append(
            f"| {r.label} | {r.engine} | {r.messages:,} | {r.seconds:.1f} | {r.per_second:.1f} "
            f"| {r.cpu_seconds:.1f} | {r.peak_rss_mib:.0f} | {r.checks} checks, {verdict} |"
        )
    return "\n".join(lines)


def peer_table(ours: Run, peers: list[PeerRun]) -> str:
    lines = [
        "| system | messages | seconds | messages/s | CPU s | CPU ms/message | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| everydesk (SQLite, import-mail) | {ours.messages:,} | {ours.seconds:.1f} "
        f"| {ours.per_second:.1f} | {ours.cpu_seconds:.1f} "
        f"| {ours.cpu_seconds * 1000 / ours.messages:.1f} "
        f"| {'all checks ok' if not ours.failures else 'CHECKS FAILED'} |",
    ]
    for p in peers:
        lines.append(
            f"| django-helpdesk 2.6.1 get_email (SQLite {p.sqlite}) | {p.files:,} "
            f"| {p.seconds:.1f} | {p.per_second:.1f} | {p.cpu_seconds:.1f} "
            f"| {p.cpu_seconds * 1000 / p.files:.1f} "
            f"| {p.tickets:,} tickets, {p.follow_ups:,} follow-ups, "
            f"{p.message_ids_twice} Message-IDs stored twice, {p.left} left |"
        )
    for p in peers:
        ours_cpu, peer_cpu = ours.cpu_seconds / ours.messages, p.cpu_seconds / p.files
        lines.append(
            f"| **ratio ours / peer ({p.sqlite})** | | | "
            f"**{ours.per_second / p.per_second:.1f}x** | | {ours_cpu / peer_cpu:.2f} | |"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--maildir", type=Path, help="default: /tmp/everydesk-mail-COUNT-sSEED")
    parser.add_argument("--engines", nargs="+", choices=["sqlite", "postgres"])
    parser.add_argument("--pg-name", default="everydesk_bench_mail", help="dropped and created")
    parser.add_argument("--via", choices=["command", "loop", "statements"], default="command")
    parser.add_argument("--peer", type=int, default=1000, help="0: no comparison")
    parser.add_argument("--peer-sqlite", nargs="+", choices=["stock", "tuned"])
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    parser.add_argument(
        "--child", choices=["prepare", "loop", "statements", "verify"], help=argparse.SUPPRESS
    )
    options = parser.parse_args()
    options.engines = options.engines or ["sqlite", "postgres"]
    options.peer_sqlite = options.peer_sqlite or ["stock", "tuned"]
    options.maildir = options.maildir or Path(
        f"/tmp/everydesk-mail-{options.count}-s{options.seed}"
    )
    return options


def main() -> None:
    options = parse_args()
    if options.child:
        step = {
            "prepare": step_prepare,
            "loop": step_loop,
            "statements": step_statements,
            "verify": step_verify,
        }
        print(json.dumps(step[options.child](options.maildir)))
        return
    manifest = ensure_maildir(options.maildir, options.count, options.seed)
    totals = expected_counts(manifest.deliveries)
    load_before = os.getloadavg()
    runs = [
        measure(f"all {options.count:,}", engine, options.maildir, manifest, options.count, options)
        for engine in options.engines
    ]
    peers: list[PeerRun] = []
    if options.peer:
        first = min(options.peer, options.count)
        out = Path(f"{options.maildir}-first-{first}")
        part, box, flat = subset(manifest, options.maildir, first, out)
        # Back to back on the same messages: this machine is shared, only neighbours compare.
        runs.append(measure(f"first {first:,}", "sqlite", box, part, first, options))
        for mode in options.peer_sqlite:
            print(f"django-helpdesk get_email ({mode} SQLite), the same {first:,} ...", flush=True)
            peers.append(peer_mail.measure(flat, manifest.mailbox, mode))
    report(runs, peers, totals, load_before, options)


def report(
    runs: list[Run],
    peers: list[PeerRun],
    totals: dict[str, int],
    load_before: tuple[float, float, float],
    options: argparse.Namespace,
) -> None:
    print()
    print(f"maildir {options.maildir}: " + ", ".join(f"{k} {v:,}" for k, v in totals.items()))
    through = {"command": "everydesk import-mail", "loop": "receive() in a loop"}
    print(f"measured through: {through.get(options.via, 'import_mail() in process, counted')}")
    print(table(runs))
    for run in runs:
        if run.summary:
            print(f"{run.label} {run.engine} summary: {run.summary}")
        if run.by_kind_ms:
            print(f"{run.label} {run.engine} ms per message by kind: {run.by_kind_ms}")
        if run.statements:
            total = sum(v for k, v in run.statements.items())
            print(f"{run.label} {run.engine} statements per message: {total:.2f} {run.statements}")
            print(f"{run.label} {run.engine} CPU ms per message: {run.cpu_ms}")
        for failure in run.failures:
            print(f"  FAILED {run.label} {run.engine}: {failure}")
    for run in runs[: len(options.engines)]:
        met = "met" if run.per_second >= TARGET_PER_SECOND and not run.failures else "MISSED"
        print(
            f"target >= {TARGET_PER_SECOND} messages/s, none lost or doubled, {run.engine}: {met}"
        )
    if peers:
        print()
        print(peer_table(runs[-1], peers))
    print(
        f"{os.cpu_count()} cores; load average (1 min) before {load_before[0]:.2f}, "
        f"after {os.getloadavg()[0]:.2f}"
    )
    if options.json:
        RESULTS.mkdir(exist_ok=True)
        name = f"ingest-{time.strftime('%Y%m%d-%H%M%S')}.json"
        (RESULTS / name).write_text(
            json.dumps(
                {
                    "maildir": str(options.maildir),
                    "expected": totals,
                    "via": options.via,
                    "runs": [r.as_dict() for r in runs],
                    "peer": [p.as_dict() for p in peers],
                    "cpus": os.cpu_count(),
                    "machine": platform.platform(),
                    "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                    "load_average_before": load_before,
                    "load_average_after": os.getloadavg(),
                },
                indent=2,
            )
        )
        print(f"written to bench/results/{name}")


if __name__ == "__main__":
    main()
