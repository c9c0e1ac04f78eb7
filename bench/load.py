"""Measure everydesk over real HTTP on loopback, against `everydesk serve` started here.

    DATABASE_URL=... EVERYDESK_DATA_DIR=... [REDIS_URL=...] python bench/load.py [--json]

It migrates the database, creates a staff admin and an API token, starts the
server on a free port with the same environment, then measures: API
conversation creation at concurrency 1 and 16, the agent inbox page, a
conversation page, search, and the peak memory of the server's processes.
Load comes from a few worker processes with threads, each on a keep-alive
connection; every phase has a request budget and a time cap, so the run always
ends by itself. See docs/benchmarks.md.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from http.cookies import SimpleCookie
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil

RESULTS = Path(__file__).with_name("results")
HOST = "127.0.0.1"
ADMIN_EMAIL = "bench-admin@bench.example"
# Word classes for search: in most documents, in some, in (almost) none.
COMMON_WORDS = ("order", "delivery", "thanks", "refund")
MEDIUM_WORDS = ("kettle", '"arrived damaged"', "warranty invoice", "backpack*")
KINDS = ("question", "complaint", "praise", "idea")
TOPICS = ("delivery", "billing", "product", "account", "returns")
NAMES = ("Ana Lima", "Bo Chen", "Cem Kaya", "Dina Roy", "Eli Stone", "Fay Moss")


# --- load generation (runs in worker processes) ---------------------------------------


@dataclass(frozen=True)
class Job:
    """What each thread of a phase does: `requests` requests, or stop at `seconds`."""

    port: int
    method: str
    paths: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]
    expect: int
    requests: int
    seconds: float
    create: bool = False


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # milliseconds
    errors: int = 0
    first_error: str = ""
    started: float = 0.0
    finished: float = 0.0
    cpu_seconds: float = 0.0  # this load process's CPU time while the phase ran


def _creation_body(rng: random.Random) -> bytes:
    """A new conversation worded like the generated ones, so the data stays varied."""
    from everydesk.demo.texts import Composer, Details, templates

    name, kind = rng.choice(NAMES), rng.choice(KINDS)
    composer = Composer(
        rng, templates(rng.choice(TOPICS), kind), kind, Details(rng, name=name.split()[0])
    )
    return json.dumps(
        {
            "customer_email": f"load{rng.randint(1, 5000)}@bench.example",
            "customer_name": name,
            "subject": composer.subject(),
            "body": composer.opening(),
            "kind": kind,
        }
    ).encode()


def _run_thread(
    job: Job, seed: int, outcome: Outcome, lock: threading.Lock, start: threading.Barrier
) -> None:
    rng = random.Random(seed)
    headers = dict(job.headers)
    # Composed before the clock starts, so the load generator spends its CPU on HTTP
    # only: on two cores every millisecond it uses is one the server cannot.
    bodies = [_creation_body(rng) if job.create else None for _ in range(job.requests)]
    connection = http.client.HTTPConnection(HOST, job.port, timeout=30)
    latencies: list[float] = []
    errors, first_error = 0, ""
    start.wait()
    deadline = time.monotonic() + job.seconds
    for body in bodies:
        if time.monotonic() > deadline:
            break
        path = rng.choice(job.paths)
        started = time.perf_counter()
        try:
            connection.request(job.method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError) as error:
            errors += 1
            first_error = first_error or f"{type(error).__name__}: {error}"
            connection.close()
            connection = http.client.HTTPConnection(HOST, job.port, timeout=30)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != job.expect:
            errors += 1
            first_error = first_error or f"{response.status} {path}: {content[:300]!r}"
        if response.will_close:
            connection.close()
            connection = http.client.HTTPConnection(HOST, job.port, timeout=30)
    connection.close()
    with lock:
        outcome.latencies += latencies
        outcome.errors += errors
        outcome.first_error = outcome.first_error or first_error


def run_process(job: Job, threads: int, seed: int) -> Outcome:
    """One load process: `threads` threads, each with its own keep-alive connection."""
    outcome, lock = Outcome(), threading.Lock()
    start = threading.Barrier(threads + 1)
    workers = [
        threading.Thread(target=_run_thread, args=(job, seed * 1000 + i, outcome, lock, start))
        for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    start.wait()
    cpu = time.process_time()
    outcome.started = time.time()
    for worker in workers:
        worker.join()
    outcome.finished = time.time()
    outcome.cpu_seconds = time.process_time() - cpu
    return outcome


# --- phases and figures -----------------------------------------------------------------


@dataclass
class Figure:
    scenario: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float = 0.0  # server CPU time per request: what the server itself costs
    db_cpu_ms: float = 0.0  # PostgreSQL's backends serving the server, per request (0 on SQLite)
    client_cpu_ms: float = 0.0  # the load generator's CPU time per request
    machine_busy: float = 0.0  # share of all cores busy during the phase, every process
    target: str = ""
    met: bool | None = None
    first_error: str = ""


def _busy(times: "psutil._common.scputimes") -> float:
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Loader:
    """Runs phases on a pool of load processes, never more than 4 (this is a 2-core box)."""

    def __init__(self, server: "Server", database: "DatabaseProcesses", processes: int = 4) -> None:
        self.server = server
        self.database = database
        self.processes = processes
        self.pool = ProcessPoolExecutor(processes, mp_context=get_context("spawn"))
        self.phase = 0

    def run(self, name: str, job: Job, concurrency: int, total: int) -> Figure:
        processes = min(self.processes, concurrency)
        threads = [
            concurrency // processes + (i < concurrency % processes) for i in range(processes)
        ]
        per_thread = max(1, total // concurrency)
        job = replace(job, requests=per_thread)
        self.phase += 1
        cpu_before, machine_before = self.server.cpu_seconds(), psutil.cpu_times()
        db_before = self.database.snapshot()
        futures = [
            self.pool.submit(run_process, job, n, self.phase * 100 + i)
            for i, n in enumerate(threads)
        ]
        outcomes = [future.result() for future in futures]
        server_cpu = self.server.cpu_seconds() - cpu_before
        db_cpu = self.database.cpu_since(db_before)
        machine = psutil.cpu_times()
        busy = _busy(machine) - _busy(machine_before)
        total = sum(machine) - sum(machine_before)
        latencies = [value for o in outcomes for value in o.latencies]
        seconds = max(o.finished for o in outcomes) - min(o.started for o in outcomes)
        return Figure(
            scenario=name,
            concurrency=concurrency,
            requests=len(latencies),
            errors=sum(o.errors for o in outcomes),
            seconds=round(seconds, 2),
            per_second=round(len(latencies) / seconds, 1) if seconds else 0.0,
            p50_ms=round(percentile(latencies, 0.50), 1),
            p99_ms=round(percentile(latencies, 0.99), 1),
            server_cpu_ms=round(server_cpu * 1000 / max(1, len(latencies)), 2),
            db_cpu_ms=round(db_cpu * 1000 / max(1, len(latencies)), 2),
            client_cpu_ms=round(
                sum(o.cpu_seconds for o in outcomes) * 1000 / max(1, len(latencies)), 2
            ),
            machine_busy=round(busy / total, 2) if total else 0.0,
            first_error=next((o.first_error for o in outcomes if o.first_error), ""),
        )

    def close(self) -> None:
        self.pool.shutdown()


class DatabaseProcesses:
    """CPU time of the PostgreSQL backends connected to the benchmark's database.

    The server keeps its connections (CONN_MAX_AGE), so after the warm-up the same
    backends serve every phase. Other databases on the same PostgreSQL are not
    counted. On SQLite the database runs inside the server's processes: 0 here.
    """

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor

    def snapshot(self) -> dict[int, float]:
        """CPU seconds so far of each backend serving the database."""
        if self.vendor != "postgresql":
            return {}
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids = [row[0] for row in cursor.fetchall()]
        found = {}
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            found[pid] = times.user + times.system
        return found

    def cpu_since(self, before: dict[int, float]) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in self.snapshot().items())


# --- the server under test ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def everydesk(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "everydesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"everydesk {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Server:
    def __init__(self, port: int, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = port
        # Kept open for the server's lifetime and left behind for reading after a failure.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w+", prefix="everydesk-bench-", suffix=".log", delete=False
        )
        command = [
            sys.executable,
            "-m",
            "everydesk.cli",
            "serve",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ]
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.peak_rss = self.peak_pss = 0
        self._sampling = threading.Event()
        self._sampler = threading.Thread(target=self._sample_memory, daemon=True)

    def wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                status, _, _ = request(self.port, "GET", "/accounts/login/")
                if status == 200:
                    self._sampler.start()
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        self.log.seek(0)
        sys.exit(f"The server did not start. Its log:\n{self.log.read()[-4000:]}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (live ones; workers do not restart)."""
        total = 0.0
        for process in self.tree():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    def tree(self) -> list[psutil.Process]:
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def _sample_memory(self) -> None:
        tick = 0
        while not self._sampling.wait(0.25):
            try:
                tree = self.tree()
                self.peak_rss = max(self.peak_rss, sum(p.memory_info().rss for p in tree))
                if tick % 8 == 0:  # PSS is dearer to read; it splits shared pages fairly
                    self.peak_pss = max(self.peak_pss, sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:
                pass
            tick += 1

    def stop(self) -> None:
        self._sampling.set()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, list[str]], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        found: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            found.setdefault(key.lower(), []).append(value)
        return response.status, found, response.read()
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> str:
    """A Cookie header for a staff session, signed in through the login form with CSRF."""
    status, headers, page = request(port, "GET", "/accounts/login/")
    jar = SimpleCookie()
    for value in headers.get("set-cookie", []):
        jar.load(value)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or "csrftoken" not in jar or not match:
        sys.exit(f"The login page did not offer a CSRF token (HTTP {status}).")
    csrf = jar["csrftoken"].value
    form = urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
    ).encode()
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        form,
        {
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    for value in headers.get("set-cookie", []):
        jar.load(value)
    if status != 302 or "sessionid" not in jar:
        sys.exit(f"Signing in failed (HTTP {status}).")
    return f"csrftoken={csrf}; sessionid={jar['sessionid'].value}"


# --- the run --------------------------------------------------------------------------------


def data_size_and_samples(count: int) -> tuple[str, int, list[int]]:
    """Database vendor, number of conversations, and ids of some that exist."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Max, Min

    from everydesk.conversations.models import Conversation

    call_command("migrate", interactive=False, verbosity=0)
    total = Conversation.objects.count()
    bounds = Conversation.objects.aggregate(low=Min("id"), high=Max("id"))
    ids: list[int] = []
    if total:
        rng = random.Random(7)
        wanted = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 3)]
        ids = sorted(Conversation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    vendor = connection.vendor
    connections.close_all()
    return vendor, total, ids[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server worker processes (default: everydesk serve's default)",
    )
    parser.add_argument("--threads", type=int, default=4, help="server threads per worker")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply every phase's request budget (0.1 for a quick check)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="WORD",
        help="run only the phases whose name has one of these words (create, inbox, search)",
    )
    parser.add_argument("--json", action="store_true", help="also write bench/results/*.json")
    options = parser.parse_args()
    scale = max(0.01, options.scale)

    vendor, conversations, sample_ids = data_size_and_samples(200)
    if not sample_ids:
        sys.exit("There are no conversations; load some with bench/generate.py first.")
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    password = secrets.token_urlsafe(18)
    everydesk("createadmin", "--email", ADMIN_EMAIL, "--password", password, env=env)
    token = everydesk(
        "createtoken", "--email", ADMIN_EMAIL, "--name", "load benchmark", env=env
    ).strip()

    port = free_port()
    workers = options.workers or 2 * (os.cpu_count() or 1)
    server = Server(port, env, workers, options.threads)
    loader = Loader(server, DatabaseProcesses(vendor))
    figures: list[Figure] = []
    try:
        server.wait_ready()
        figures = run_phases(
            loader,
            port,
            token,
            sign_in(port, ADMIN_EMAIL, password),
            sample_ids,
            scale,
            [word.lower() for word in options.only],
        )
    finally:
        loader.close()
        server.stop()
    report(figures, vendor, conversations, server, workers, options, port)


def run_phases(
    loader: Loader,
    port: int,
    token: str,
    cookie: str,
    ids: list[int],
    scale: float,
    only: list[str],
) -> list[Figure]:
    api = (("Authorization", f"Bearer {token}"), ("Accept", "application/json"))
    session = (("Cookie", cookie),)
    create = Job(
        port,
        "POST",
        ("/api/v1/conversations",),
        (*api, ("Content-Type", "application/json")),
        201,
        0,
        30.0,
        create=True,
    )
    inbox = Job(port, "GET", ("/desk/?view=open",), session, 200, 0, 60.0)
    page = Job(port, "GET", tuple(f"/desk/c/{i}/" for i in ids), session, 200, 0, 60.0)

    def search(words: tuple[str, ...]) -> Job:
        return Job(
            port, "GET", tuple(f"/api/v1/search?q={quote(w)}" for w in words), api, 200, 0, 60.0
        )

    rng = random.Random(11)
    rare = (*(str(rng.randint(100000, 999999)) for _ in range(100)), "zucchini")
    n = lambda count: max(1, int(count * scale))  # noqa: E731

    # Warm every server process up (imports, connections, caches) before measuring.
    for job in (create, inbox, page, search(COMMON_WORDS)):
        loader.run("warm-up", job, 8, 64)
    phases = [
        ("API create conversation", create, 1, n(500), "", None),
        (
            "API create conversation",
            create,
            16,
            n(8000),
            ">= 500/s, p99 < 100 ms",
            lambda f: f.per_second >= 500 and f.p99_ms < 100,
        ),
        ("Inbox /desk/?view=open", inbox, 1, n(400), "p99 < 150 ms", lambda f: f.p99_ms < 150),
        ("Inbox /desk/?view=open", inbox, 4, n(800), "", None),
        ("Conversation /desk/c/<id>/", page, 1, n(400), "", None),
        (
            "Search, common words",
            search(COMMON_WORDS),
            1,
            n(200),
            "p99 < 300 ms",
            lambda f: f.p99_ms < 300,
        ),
        (
            "Search, medium words",
            search(MEDIUM_WORDS),
            1,
            n(200),
            "p99 < 300 ms",
            lambda f: f.p99_ms < 300,
        ),
        ("Search, rare words", search(rare), 1, n(200), "p99 < 300 ms", lambda f: f.p99_ms < 300),
    ]
    figures = []
    for name, job, concurrency, total, target, check in phases:
        if only and not any(word in name.lower() for word in only):
            continue
        figure = loader.run(name, job, concurrency, total)
        figure.target, figure.met = target, (check(figure) if check else None)
        figures.append(figure)
    return figures


def report(
    figures: list[Figure],
    vendor: str,
    conversations: int,
    server: Server,
    workers: int,
    options: argparse.Namespace,
    port: int,
) -> None:
    cpus = os.cpu_count()
    print()
    print(
        f"everydesk load benchmark: {vendor}, {conversations:,} conversations, "
        f"{cpus} CPU cores, server {workers} workers x {options.threads} threads, "
        f"queue on {'Redis' if os.environ.get('REDIS_URL') else 'SQLite'}"
    )
    header = (
        f"{'scenario':<30} {'conc':>4} {'requests':>8} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7} {'db ms':>6} {'load ms':>7} {'busy':>5}  "
        "target"
    )
    print(header)
    print("-" * len(header))
    for f in figures:
        verdict = "" if f.met is None else ("  met" if f.met else "  MISSED")
        print(
            f"{f.scenario:<30} {f.concurrency:>4} {f.requests:>8} {f.errors:>6} "
            f"{f.per_second:>8.1f} {f.p50_ms:>8.1f} {f.p99_ms:>8.1f} {f.server_cpu_ms:>7.2f} "
            f"{f.db_cpu_ms:>6.2f} {f.client_cpu_ms:>7.2f} {f.machine_busy:>5.0%}  "
            f"{f.target}{verdict}"
        )
    print(
        f"peak memory of the server processes: RSS {server.peak_rss / 2**20:,.0f} MiB "
        f"(PSS {server.peak_pss / 2**20:,.0f} MiB)"
    )
    print(
        "cpu ms: server CPU time per request (all its processes); db ms: PostgreSQL's, for "
        "the server's connections; load ms: the load generator's; busy: share of the "
        "machine's cores in use during the phase (all of these and anything else)"
    )
    for f in figures:
        if f.first_error:
            print(f"first error in '{f.scenario}' (c={f.concurrency}): {f.first_error}")
    if options.json:
        RESULTS.mkdir(exist_ok=True)
        name = f"load-{vendor}-{conversations}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        (RESULTS / name).write_text(
            json.dumps(
                {
                    "database": vendor,
                    "conversations": conversations,
                    "cpus": cpus,
                    "server_workers": workers,
                    "server_threads": options.threads,
                    "peak_rss_bytes": server.peak_rss,
                    "peak_pss_bytes": server.peak_pss,
                    "machine": platform.platform(),
                    "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                    "load_average": os.getloadavg(),
                    "figures": [asdict(f) for f in figures],
                },
                indent=2,
            )
        )
        print(f"written to bench/results/{name}")


if __name__ == "__main__":
    main()
