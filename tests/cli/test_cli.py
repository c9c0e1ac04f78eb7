"""The `everydesk` command, run as a real process with its own data directory."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {**env, "EVERYDESK_DATA_DIR": str(data_dir)}


def everydesk(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "everydesk.cli", *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _conversations(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "everydesk.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM conversations_conversation").fetchone()[0]


def test_help_lists_the_commands(data_dir):
    done = everydesk(data_dir, "--help")
    assert done.returncode == 0
    for command in ("demo", "serve", "worker", "migrate", "createadmin", "createtoken"):
        assert f"  {command}" in done.stdout


def test_other_commands_pass_through_to_django(data_dir):
    done = everydesk(data_dir, "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_an_unknown_command_fails_with_a_hint(data_dir):
    done = everydesk(data_dir, "frobnicate")
    assert done.returncode != 0
    assert "Unknown command: 'frobnicate'" in done.stderr


def test_demo_without_serving_loads_data_once(data_dir):
    first = everydesk(data_dir, "demo", "--no-serve", "--customers", "20", "--conversations", "60")
    assert first.returncode == 0, first.stderr
    assert "Loaded 20 customers and 60 conversations" in first.stdout
    assert "admin@demo.test" in first.stdout and "/portal/login/" in first.stdout
    second = everydesk(data_dir, "demo", "--no-serve", "--customers", "20", "--conversations", "60")
    assert second.returncode == 0, second.stderr
    assert "nothing added" in second.stdout
    assert _conversations(data_dir) == 60


def test_serve_refuses_to_start_with_unapplied_migrations(data_dir):
    done = everydesk(data_dir, "serve", "--bind", "127.0.0.1:1")
    assert done.returncode == 1
    assert "everydesk migrate" in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
        return response.status


def test_serve_runs_gunicorn_with_static_files_and_stops_on_sigterm(data_dir):
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "everydesk.cli",
            "serve",
            "--migrate",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert _get(f"http://127.0.0.1:{port}/accounts/login/") == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
        assert _get(f"http://127.0.0.1:{port}/static/everydesk/app.css") == 200
        assert (data_dir / "static" / "everydesk" / "app.css").exists()  # collected
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "gthread" in output


def test_worker_hands_its_options_to_run_huey(data_dir):
    done = everydesk(data_dir, "worker", "--help")
    assert done.returncode == 0
    assert "--workers" in done.stdout
