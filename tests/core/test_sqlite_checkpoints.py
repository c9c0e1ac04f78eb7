"""SQLite checkpoints run after a writer leaves the queue, never inside it (lib/sqlite_backend)."""

import fcntl
import os
import sqlite3

import pytest
from django.db import connection

from everydesk.lib.sqlite_backend import base
from everydesk.lib.sqlite_backend.base import DatabaseWrapper
from tests.core.sqlite_scratch import connect, own_files  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="checkpoints belong to the SQLite backend"
)


def _connect(path) -> DatabaseWrapper:
    wrapper = connect(path, init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    wrapper.cursor().execute("CREATE TABLE IF NOT EXISTS t (n integer)")
    wrapper.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the table, in the file
    return wrapper


def _write(wrapper: DatabaseWrapper, n: int) -> None:
    wrapper._start_transaction_under_autocommit()
    wrapper.cursor().execute("INSERT INTO t VALUES (%s)", [n])
    wrapper._commit()


def _in_database_file(path) -> list[int]:
    """Rows in the database file itself, ignoring the WAL: what checkpoints put there."""
    reader = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return [row[0] for row in reader.execute("SELECT n FROM t ORDER BY n")]
    finally:
        reader.close()


def _lock_is_free(path) -> bool:
    fd = os.open(f"{path}.writelock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_sqlite_checkpoints_by_itself_only_as_a_backstop(tmp_path):
    wrapper = _connect(tmp_path / "db.sqlite3")
    pages = wrapper.cursor().execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    assert pages == base.AUTOCHECKPOINT_PAGES
    wrapper.close()


def test_every_nth_commit_copies_the_wal_into_the_database_file(tmp_path, monkeypatch):
    path = tmp_path / "db.sqlite3"
    wrapper = _connect(path)
    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 10**9)
    _write(wrapper, 1)
    assert _in_database_file(path) == []  # still only in the WAL
    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 1)
    _write(wrapper, 2)
    assert _in_database_file(path) == [1, 2]
    wrapper.close()


def test_the_checkpoint_runs_after_the_writer_left_the_queue(tmp_path, monkeypatch):
    path = tmp_path / "db.sqlite3"
    wrapper = _connect(path)
    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 1)
    seen = []
    checkpoint = wrapper.checkpoint
    monkeypatch.setattr(
        wrapper, "checkpoint", lambda: seen.append(_lock_is_free(path)) or checkpoint()
    )
    _write(wrapper, 1)
    assert seen == [True]
    wrapper.close()


def test_a_checkpoint_elsewhere_is_not_waited_for(tmp_path):
    path = tmp_path / "db.sqlite3"
    wrapper = _connect(path)
    _write(wrapper, 1)
    fd = os.open(f"{path}.checkpointlock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert wrapper.checkpoint() is False  # returns at once instead of queueing
    finally:
        os.close(fd)
    assert wrapper.checkpoint() is True
    assert _in_database_file(path) == [1]
    wrapper.close()
