"""Side-by-side benchmark: creating tickets in everydesk and in django-helpdesk 2.6.1.

The two systems are served the same way (gunicorn with `everydesk serve`'s
settings: gthread, the same number of workers and threads; SQLite; loopback)
and driven by the same client in one run, interleaved (ours c1, peer c1, ours
c16, peer c16), because this machine is noisy and only ratios measured together
mean anything.

The peer lives outside the repository, in its own virtual environment under
PEER_HELPDESK_ROOT (default /tmp/peer-helpdesk); `--setup` creates it and is
safe to run again. Its Django project is the small one in bench/peer/.

    python bench/peer_helpdesk.py --setup      # build the peer's venv only
    python bench/peer_helpdesk.py              # set up if needed, then measure

Each figure: requests/s over the run, p50 and p99 latency, and the server's CPU
per request (user + system time of the whole gunicorn process tree, read with
psutil before and after the run, divided by the requests answered). Every
response status is checked; a run with errors is reported as such, and the
peer's "database is locked" errors are counted from its log, never hidden.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
PEER_ROOT = Path(os.environ.get("PEER_HELPDESK_ROOT", "/tmp/peer-helpdesk"))
PEER_VENV = PEER_ROOT / "venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
# Pinned so a rerun measures the same thing; Django and gunicorn match ours so the
# comparison is between the two applications, not between framework versions.
PEER_PACKAGES = [
    "django-helpdesk==2.6.1",
    "Django==5.2.19",
    "djangorestframework==3.18.3",
    "gunicorn==27.0.1",
]
ADMIN_EMAIL = "bench-admin@example.com"
ADMIN_PASSWORD = "bench-admin-password-0"  # a throwaway database
LOCK_MESSAGE = "database is locked"
SERVER_START_SECONDS = 60.0


# --- results -------------------------------------------------------------------


@dataclass
class RunResult:
    """What one load run against one system measured."""

    system: str
    concurrency: int
    planned: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    cpu_seconds: float = 0.0
    locked: int = 0  # "database is locked" lines the server logged during the run
    timed_out: bool = False

    @property
    def answered(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile of the successful requests, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, math.ceil(fraction * len(ordered)) - 1)
        return ordered[rank] * 1000

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.answered if self.answered else float("nan")

    @property
    def status(self) -> str:
        parts = [f"{count} x {kind}" for kind, count in sorted(self.errors.items())]
        if self.locked:
            parts.append(f"{self.locked} '{LOCK_MESSAGE}' in log")
        if self.timed_out:
            parts.append(f"stopped at the time limit after {self.answered}/{self.planned}")
        return "; ".join(parts) or "ok"

    def as_dict(self) -> dict[str, object]:
        return {
            "system": self.system,
            "concurrency": self.concurrency,
            "planned": self.planned,
            "ok": len(self.latencies),
            "errors": dict(self.errors),
            "database_locked_in_log": self.locked,
            "timed_out": self.timed_out,
            "elapsed_s": round(self.elapsed, 3),
            "requests_per_s": round(self.rate, 2),
            "p50_ms": round(self.percentile_ms(0.50), 2),
            "p99_ms": round(self.percentile_ms(0.99), 2),
            "cpu_ms_per_request": round(self.cpu_ms_per_request, 2),
        }


# --- the systems under test ----------------------------------------------------


@dataclass(frozen=True)
class Serving:
    """How both systems are served: `everydesk serve`'s defaults, applied to the peer too."""

    workers: int
    threads: int

    def gunicorn_options(self) -> list[str]:
        """The peer's gunicorn flags matching what `everydesk serve` sets for itself."""
        return [
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--keep-alive",
            "5",
            "--timeout",
            "30",
        ]


@dataclass
class Target:
    """One system ready to take ticket creations: where to POST and how."""

    name: str
    server: Server
    path: str
    headers: dict[str, str]
    make_body: Callable[[int], dict[str, object]]
    expected_status: int
    count_rows: Callable[[], int]
    data: Path  # thrown away after the run


class Server:
    """A gunicorn process tree we started, whose CPU time we can read."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("ab")
        # A session of its own, so stopping it reaches every worker and nothing else.
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.port = int(command[command.index("--bind") + 1].rsplit(":", 1)[1])

    def wait_until_listening(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited at start; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not listen within {SERVER_START_SECONDS:.0f} s")

    def tree(self) -> list[psutil.Process]:
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def cpu_seconds(self) -> float:
        """User + system time of the tree, including children that already exited."""
        total = 0.0
        for process in self.tree():
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def lock_errors(self) -> int:
        return self.log.read_text(errors="replace").count(LOCK_MESSAGE)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: list[str], env: dict[str, str]) -> str:
    """Run a setup command, failing loudly with its output if it fails."""
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def count_rows(database: Path, table: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# --- the peer ------------------------------------------------------------------


def peer_is_installed() -> bool:
    if not PEER_PYTHON.exists():
        return False
    probe = subprocess.run(
        [
            str(PEER_PYTHON),
            "-c",
            "import importlib.metadata as m; print(m.version('django-helpdesk'))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() == "2.6.1"


def setup_peer() -> None:
    """Create the peer's venv and install it, unless that is already done."""
    if peer_is_installed():
        print(f"peer: django-helpdesk 2.6.1 already installed in {PEER_VENV}")
        return
    PEER_ROOT.mkdir(parents=True, exist_ok=True)
    print(f"peer: creating {PEER_VENV} and installing {' '.join(PEER_PACKAGES)}")
    run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], dict(os.environ))
    run([str(PEER_PYTHON), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], dict(os.environ))


# Runs inside the peer's venv: an admin with a DRF token, and one queue to file into.
PEER_SEED = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue
admin = get_user_model().objects.create_superuser("bench", "{email}", "{password}")
queue = Queue.objects.create(title="Support", slug="support", email_address="support@localhost")
print(json.dumps({{"token": Token.objects.create(user=admin).key, "queue": queue.id}}))
"""


def start_peer(serving: Serving, sqlite_mode: str, logs: Path) -> Target:
    data = PEER_ROOT / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {
        **os.environ,
        "PEER_HELPDESK_DIR": str(data),
        "PEER_SQLITE": sqlite_mode,
        "PYTHONPATH": str(REPO / "bench"),
        "DJANGO_SETTINGS_MODULE": "peer.settings",
    }
    env.pop("VIRTUAL_ENV", None)
    run([str(PEER_PYTHON), "-m", "django", "migrate", "--no-input", "-v", "0"], env)
    seed = PEER_SEED.format(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    out = run([str(PEER_PYTHON), "-m", "django", "shell", "-v", "0", "-c", seed], env)
    seeded = json.loads(out.strip().splitlines()[-1])
    command = [
        str(PEER_VENV / "bin" / "gunicorn"),
        "--no-control-socket",
        "--bind",
        f"127.0.0.1:{free_port()}",
        *serving.gunicorn_options(),
        "peer.wsgi:application",
    ]
    server = Server("django-helpdesk", command, env, logs / "peer.log")
    queue = seeded["queue"]

    def body(n: int) -> dict[str, object]:
        return {
            "queue": queue,
            "title": f"Bench ticket {n}",
            "description": f"The printer on floor {n % 7} prints blank pages.",
            "submitter_email": f"customer{n}@example.com",
            "priority": 3,
        }

    return Target(
        name="django-helpdesk",
        server=server,
        path="/api/tickets/",
        headers={"Authorization": f"Token {seeded['token']}"},
        make_body=body,
        expected_status=201,
        count_rows=lambda: count_rows(data / "db.sqlite3", "helpdesk_ticket"),
        data=data,
    )


# --- everydesk -----------------------------------------------------------------


def everydesk_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("everydesk")), *args]


def start_ours(serving: Serving, logs: Path) -> Target:
    data = Path(tempfile.mkdtemp(prefix="peer-bench-everydesk-"))
    env = {
        **os.environ,
        "EVERYDESK_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "everydesk.settings",
    }
    run(everydesk_command("migrate"), env)
    run(everydesk_command("createadmin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD), env)
    out = run(everydesk_command("createtoken", "--email", ADMIN_EMAIL, "--name", "bench"), env)
    token = out.strip().splitlines()[-1].split()[-1]
    command = [
        *everydesk_command("serve"),
        "--bind",
        f"127.0.0.1:{free_port()}",
        "--workers",
        str(serving.workers),
        "--threads",
        str(serving.threads),
    ]
    server = Server("everydesk", command, env, logs / "everydesk.log")

    def body(n: int) -> dict[str, object]:
        return {
            "customer_email": f"customer{n}@example.com",
            "customer_name": f"Customer {n}",
            "subject": f"Bench ticket {n}",
            "body": f"The printer on floor {n % 7} prints blank pages.",
            "kind": "question",
        }

    return Target(
        name="everydesk",
        server=server,
        path="/api/v1/conversations",
        headers={"Authorization": f"Bearer {token}"},
        make_body=body,
        expected_status=201,
        count_rows=lambda: count_rows(data / "everydesk.sqlite3", "conversations_conversation"),
        data=data,
    )


# --- the load ------------------------------------------------------------------


class Numbers:
    """Hands out request numbers to the client threads, up to a count."""

    def __init__(self, start: int, stop: int) -> None:
        self._next = start
        self._stop = stop
        self._lock = threading.Lock()

    def take(self) -> int | None:
        with self._lock:
            if self._next >= self._stop:
                return None
            self._next += 1
            return self._next - 1


def client_loop(
    target: Target, numbers: Numbers, deadline: float
) -> tuple[list[float], Counter[str]]:
    """One client: a keep-alive connection, reopened whenever the server closes it."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    connection = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
    headers = {"Content-Type": "application/json", **target.headers}
    try:
        while time.monotonic() < deadline and (n := numbers.take()) is not None:
            payload = json.dumps(target.make_body(n))
            started = time.perf_counter()
            try:
                connection.request("POST", target.path, body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors[type(error).__name__] += 1
                connection.close()
                continue
            took = time.perf_counter() - started
            if response.status == target.expected_status:
                latencies.append(took)
            else:
                errors[f"HTTP {response.status}"] += 1
    finally:
        connection.close()
    return latencies, errors


def load(target: Target, concurrency: int, requests: int, first: int, limit: float) -> RunResult:
    """POST `requests` tickets with `concurrency` clients; read the server's CPU around it."""
    result = RunResult(target.name, concurrency, requests)
    numbers = Numbers(first, first + requests)
    locked_before = target.server.lock_errors()
    cpu_before = target.server.cpu_seconds()
    started = time.perf_counter()
    deadline = time.monotonic() + limit
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        clients = [pool.submit(client_loop, target, numbers, deadline) for _ in range(concurrency)]
        for client in clients:
            latencies, errors = client.result()
            result.latencies.extend(latencies)
            result.errors.update(errors)
    result.elapsed = time.perf_counter() - started
    result.cpu_seconds = target.server.cpu_seconds() - cpu_before
    result.locked = target.server.lock_errors() - locked_before
    result.timed_out = result.answered < requests
    return result


# --- report --------------------------------------------------------------------


def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}" if peer else "n/a"


def table(results: list[RunResult]) -> str:
    lines = [
        "| system | concurrency | requests ok / planned | req/s | p50 ms | p99 ms "
        "| server CPU ms/req | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.system} | {r.concurrency} | {len(r.latencies)} / {r.planned} | {r.rate:.1f} "
            f"| {r.percentile_ms(0.5):.1f} | {r.percentile_ms(0.99):.1f} "
            f"| {r.cpu_ms_per_request:.1f} | {r.status} |"
        )
    by_key = {(r.system, r.concurrency): r for r in results}
    for concurrency in sorted({r.concurrency for r in results}):
        ours = by_key.get(("everydesk", concurrency))
        peer = by_key.get(("django-helpdesk", concurrency))
        if ours and peer:
            lines.append(
                f"| **ratio ours/peer** | {concurrency} | | {ratio(ours.rate, peer.rate)} "
                f"| {ratio(ours.percentile_ms(0.5), peer.percentile_ms(0.5))} "
                f"| {ratio(ours.percentile_ms(0.99), peer.percentile_ms(0.99))} "
                f"| {ratio(ours.cpu_ms_per_request, peer.cpu_ms_per_request)} | |"
            )
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="only build the peer's venv")
    parser.add_argument("--requests-c1", type=int, default=300)
    parser.add_argument("--requests-c16", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=240.0, help="seconds per run, at most")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per system")
    parser.add_argument(
        "--peer-sqlite",
        choices=["stock", "tuned"],
        default="stock",
        help="stock: Django's SQLite defaults, as the peer ships; tuned: everydesk's pragmas",
    )
    parser.add_argument("--warmup-concurrency", type=int, default=4)
    parser.add_argument(
        "--only",
        choices=["both", "ours", "peer"],
        default="both",
        help="measure one side alone (for trying the script; the comparison needs both)",
    )
    # The defaults are `everydesk serve`'s own, so ours runs as shipped.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args()


def start_targets(args: argparse.Namespace, logs: Path, servers: list[Server]) -> list[Target]:
    """Start both (or one, with --only) the same way, and wait until they listen."""
    serving = Serving(workers=args.workers, threads=args.threads)
    targets = []
    if args.only in ("both", "ours"):
        targets.append(start_ours(serving, logs))
        servers.append(targets[-1].server)  # registered at once, so a later failure stops it
    if args.only in ("both", "peer"):
        targets.append(start_peer(serving, args.peer_sqlite, logs))
        servers.append(targets[-1].server)
    for target in targets:
        target.server.wait_until_listening()
    print(
        f"gunicorn gthread, {serving.workers} workers x {serving.threads} threads each; "
        f"server logs in {logs}",
        flush=True,
    )
    return targets


def measure(targets: list[Target], args: argparse.Namespace) -> tuple[list[RunResult], list[str]]:
    """Warm every worker up, then interleave: each system at c1, then each at c16.

    Returns the results and, per system, whether its database holds exactly one
    ticket per 201 it answered (nothing lost, nothing doubled).
    """
    first = 0
    created: Counter[str] = Counter()
    for target in targets:
        warmup = load(target, args.warmup_concurrency, args.warmup, first, args.time_limit)
        created[target.name] += len(warmup.latencies)
        first += args.warmup
    results = []
    for concurrency, requests in ((1, args.requests_c1), (16, args.requests_c16)):
        for target in targets:
            result = load(target, concurrency, requests, first, args.time_limit)
            created[target.name] += len(result.latencies)
            first += requests
            print(json.dumps(result.as_dict()), flush=True)
            results.append(result)
    checks = []
    for target in targets:
        rows = target.count_rows()
        verdict = "ok" if rows == created[target.name] else "MISMATCH"
        checks.append(f"{target.name}: {rows} rows for {created[target.name]} x 201 ({verdict})")
    return results, checks


def main() -> None:
    args = parse_args()
    setup_peer()
    if args.setup:
        return
    logs = Path(tempfile.mkdtemp(prefix="peer-bench-logs-"))
    load_before = os.getloadavg()[0]
    servers: list[Server] = []
    targets: list[Target] = []
    try:
        targets.extend(start_targets(args, logs, servers))
        results, checks = measure(targets, args)
    finally:
        for server in servers:
            server.stop()
        for target in targets:
            shutil.rmtree(target.data, ignore_errors=True)
    print()
    print(table(results))
    print()
    print(f"rows written (warm-up included): {'; '.join(checks)}")
    print(f"peer SQLite: {args.peer_sqlite}")
    # Other work on the machine skews both systems; the load average says how much there was.
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=2))


if __name__ == "__main__":
    main()
