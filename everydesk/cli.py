"""The `everydesk` command: serve, run the worker, try the demo, and every Django command.

`everydesk demo` is the two-minute tour; `everydesk serve` and `everydesk worker`
are what a real installation runs (under systemd, a container, ...). Anything
else (`everydesk migrate`, `everydesk createadmin`, `everydesk shell`) is
handed to Django's management commands unchanged.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from gunicorn.app.base import BaseApplication

SETTINGS = "everydesk.settings"
OWN_COMMANDS = ("demo", "serve", "worker")
# Django command names use underscores; these are the spellings the docs use.
ALIASES = {
    "ingest-email": "ingest_email",
    "import-mail": "import_mail",
    "import-orders": "import_orders",
}
USAGE = "everydesk <command> [options]"
HELP = f"""\
usage: {USAGE}

everydesk: customer service, help desk and voice of the customer.

commands:
  demo          load demo data (once) and run the server and the worker together
  serve         run the web server (gunicorn)
  worker        run the background job worker (email, scoring, ...)
  smtpd         receive support mail over SMTP or LMTP
  fetchmail     fetch support mail from IMAP mailboxes (--once or --loop)
  ingest-email  store one message from standard input (a mail server's pipe)
  import-mail   import a maildir or mbox file as history
  import-orders import orders from a CSV file (idempotent on the order number)
  migrate       create or update the database tables
  createadmin   create an admin, or reset an admin's password
  createtoken   issue an API token for a user
  setupplaybook create the built-in playbook action types (refund, credit, ...)
  insights      bring the dashboard's figures up to date (--rebuild: from scratch)
  digest        mail the weekly leadership digest now (--send [--to ...])
  rotation      build the front-line rotation (build --quarter 2027Q1)
  help          list every other command (all of Django's management commands work)

Run `everydesk <command> --help` for a command's options; `everydesk --version` for
the version. Settings come from environment variables (see docs/settings.md).
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    if not args or args[0] in ("-h", "--help"):
        print(HELP, end="")
        return 0
    if args[0] not in OWN_COMMANDS and args[0] not in ("-V", "--version"):
        return _django([ALIASES.get(args[0], args[0]), *args[1:]])
    options = _parser().parse_args(args)
    result: int = options.run(options)
    return result


def _django(args: list[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["everydesk", *args])
    return 0


def _parser() -> argparse.ArgumentParser:
    # Only parses everydesk's own commands; main() prints the overall help.
    parser = argparse.ArgumentParser(prog="everydesk")
    parser.add_argument("-V", "--version", action="version", version=_version())
    commands = parser.add_subparsers(metavar="command")
    _add_demo(commands)
    _add_serve(commands)
    _add_worker(commands)
    return parser


def _version() -> str:
    try:
        return f"everydesk {version('everydesk')}"
    except PackageNotFoundError:
        return "everydesk (not installed)"


# --- serve ----------------------------------------------------------------------------


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the web server",
        description="Run the web server (gunicorn) after collecting static files. It refuses "
        "to start while migrations are unapplied: run `everydesk migrate` first, or pass "
        "--migrate.",
    )
    serve.add_argument(
        "--bind",
        default="127.0.0.1:8000",
        help="address:port to listen on (default 127.0.0.1:8000)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="worker processes (default: 2 per CPU core)",
    )
    serve.add_argument(
        "--threads", type=int, default=4, help="threads per worker process (default 4)"
    )
    serve.add_argument(
        "--timeout",
        type=int,
        default=30,
        help="seconds before a stuck request's worker is restarted",
    )
    serve.add_argument(
        "--migrate", action="store_true", help="apply unapplied migrations before starting"
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(run=_serve)


def _serve(options: argparse.Namespace) -> int:
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    if options.migrate:
        call_command("migrate", interactive=False, verbosity=1)
    problem = _database_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    call_command("collectstatic", interactive=False, verbosity=0)
    # Workers are forked from this process; each must open its own connections.
    connections.close_all()
    _Gunicorn(
        {
            "bind": options.bind,
            "workers": max(1, options.workers),
            # Threads let a worker hold keep-alive connections and overlap database waits.
            "worker_class": "gthread",
            "threads": max(1, options.threads),
            "timeout": options.timeout,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": "-" if options.access_log else None,
            "errorlog": "-",
            "proc_name": "everydesk",
            # One shared default socket path would make two servers on a machine collide.
            "control_socket_disable": True,
        }
    ).run()
    return 0


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """Gunicorn run in this process, so signals reach its arbiter directly."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from everydesk.wsgi import application

        return application


def _database_problem() -> str | None:
    """Why the server should not start, or None: unreachable database or pending migrations."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"Cannot use the database: {error}".strip()
    if not plan:
        return None
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
    more = f" and {len(plan) - 3} more" if len(plan) > 3 else ""
    return (
        f"The database is not up to date: {len(plan)} migration(s) to apply ({names}{more}).\n"
        "Run `everydesk migrate` first (or start with `everydesk serve --migrate`)."
    )


# --- worker ---------------------------------------------------------------------------


def _add_worker(commands: Any) -> None:
    worker = commands.add_parser(
        "worker",
        help="run the background job worker",
        description="Run the job-queue worker (huey). Extra options go to Django's "
        "`run_huey` command (see `everydesk run_huey --help`).",
    )
    worker.add_argument("--workers", type=int, default=2, help="jobs run at once (default 2)")
    worker.add_argument("extra", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    worker.set_defaults(run=_worker)


def _worker(options: argparse.Namespace) -> int:
    return _django(["run_huey", "--workers", str(max(1, options.workers)), *options.extra])


# --- demo -----------------------------------------------------------------------------


def _add_demo(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="load demo data and run the server and worker",
        description="Prepare the database, load demo data if it has no conversations yet "
        "(known staff passwords are printed: never on a real installation), then run the "
        "web server and the job worker until Ctrl-C.",
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="only load the data")
    demo.add_argument("--customers", type=int, default=400)
    demo.add_argument("--conversations", type=int, default=3000)
    demo.set_defaults(run=_demo)


def _demo(options: argparse.Namespace) -> int:
    import django
    from django.core.management import call_command

    django.setup()
    from everydesk.demo.setup import load_demo

    print("Preparing the database...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    demo = load_demo(
        customers=max(1, options.customers), conversations=max(0, options.conversations)
    )
    if demo.summary is None:
        print("Demo data is already there; nothing added.")
    else:
        print(
            f"Loaded {demo.summary.customers:,} customers and "
            f"{demo.summary.conversations:,} conversations."
        )
    _listen_to_demo()
    base_url = f"http://{_url_host(options.host)}:{options.port}"
    if options.no_serve:
        print(_logins(demo, base_url))
        return 0
    return _serve_demo(options, demo, base_url)


def _listen_to_demo() -> None:
    """Score the demo's customer messages, group them into topics and sum up the figures
    now (the worker would do it within the hour), so the first look already shows them."""
    from everydesk.insights import rollups
    from everydesk.listening import backfill, regrouping

    print("Scoring what the demo customers wrote...", flush=True)
    for line in backfill.run(progress=sys.stderr.isatty()).lines():
        print(line)
    report = regrouping.regroup()
    print(f"Grouped the recent ones into {len(report.created)} new topics.")
    rollups.rebuild()


def _serve_demo(options: argparse.Namespace, demo: Any, base_url: str) -> int:
    env = dict(os.environ)
    # Sign-in links in mails must point at this server, not the default address.
    env.setdefault("EVERYDESK_BASE_URL", base_url)
    me = [sys.executable, "-m", "everydesk.cli"]
    serve = [*me, "serve", "--bind", f"{options.host}:{options.port}", "--workers", "2"]
    # Both run this same interpreter and module; nothing comes from outside.
    server = subprocess.Popen(serve, env=env)  # noqa: S603
    worker = subprocess.Popen([*me, "worker", "--workers", "1"], env=env)  # noqa: S603
    if _wait_for_port(options.host, options.port, server):
        print(_banner(demo, base_url, options.host), flush=True)
    return _supervise([server, worker])


def _supervise(processes: list[subprocess.Popen[bytes]]) -> int:
    """Run until Ctrl-C (or one of them stops), then stop them all."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(processes)
    return max((p.returncode or 0) for p in processes)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    # Ctrl-C in the terminal reached the children too; a kill of this process did not.
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 15
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _wait_for_port(host: str, port: int, server: subprocess.Popen[bytes]) -> bool:
    target = "127.0.0.1" if host in ("0.0.0.0", "") else host.strip("[]")  # noqa: S104
    if target == "::":
        target = "::1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection((target, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):  # noqa: S104
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _logins(demo: Any, base_url: str) -> str:
    lines = [f"Staff sign in at {base_url}/accounts/login/ with password {demo.password!r}:"]
    for person in demo.staff:
        teams = f", {' and '.join(person.teams)}" if person.teams else ""
        lines.append(f"  {person.email:<20} {person.role.label.lower()}{teams}")
    lines += [
        f"Customer portal: open {base_url}/portal/login/ and enter {demo.portal_email}.",
        "  The sign-in link is mailed; with no mail server configured, the worker prints",
        "  that mail in this terminal. Open the link it shows.",
    ]
    return "\n".join(lines)


def _banner(demo: Any, base_url: str, host: str) -> str:
    from django.conf import settings
    from django.db import connection

    where = (
        str(settings.SQLITE_PATH)
        if connection.vendor == "sqlite"
        else f"{connection.vendor} database {connection.settings_dict['NAME']}"
    )
    lines = [
        "",
        f"everydesk demo is running at {base_url}/",
        f"Data directory: {settings.DATA_DIR}",
        f"Database: {where}",
        _logins(demo, base_url),
        "Press Ctrl-C to stop the server and the worker.",
    ]
    if host not in ("127.0.0.1", "localhost", "::1"):
        lines.append("Warning: the demo passwords above are public; do not expose this server.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
