"""SQLite writers wait in the kernel for each other instead of polling (lib/sqlite_backend)."""

import fcntl
import os
import threading

import pytest
from django.db import connection

from tests.core.sqlite_scratch import connect, own_files  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the writer queue belongs to the SQLite backend"
)


def _lock_is_free(path) -> bool:
    fd = os.open(f"{path}.writelock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_shared_lock_until_it_commits(tmp_path):
    path = tmp_path / "db.sqlite3"
    first = connect(path)
    first.cursor().execute("CREATE TABLE t (n integer)")
    first._start_transaction_under_autocommit()
    first.cursor().execute("INSERT INTO t VALUES (1)")
    assert not _lock_is_free(path)
    first._commit()
    assert _lock_is_free(path)
    first.close()


def test_a_second_writer_waits_for_the_first_and_both_writes_land(tmp_path):
    path = tmp_path / "db.sqlite3"
    first = connect(path)
    first.cursor().execute("CREATE TABLE t (n integer)")
    entered = threading.Event()

    def write_from_second():
        second = connect(path)  # connections belong to their thread
        second._start_transaction_under_autocommit()
        entered.set()
        second.cursor().execute("INSERT INTO t VALUES (2)")
        second._commit()
        second.close()

    first._start_transaction_under_autocommit()
    first.cursor().execute("INSERT INTO t VALUES (1)")
    thread = threading.Thread(target=write_from_second)
    thread.start()
    assert not entered.wait(0.3), "the second writer got in while the first held the lock"
    first._commit()
    thread.join(10)
    rows = first.cursor().execute("SELECT n FROM t ORDER BY rowid").fetchall()
    assert [row[0] for row in rows] == [1, 2]
    first.close()


def test_a_failed_begin_or_a_rollback_releases_the_lock(tmp_path):
    first, second = connect(tmp_path / "db.sqlite3"), connect(tmp_path / "db.sqlite3")
    first._start_transaction_under_autocommit()
    first._rollback()
    second._start_transaction_under_autocommit()  # would block forever if still held
    second._commit()
    assert first._write_lock_fd is None and second._write_lock_fd is None
    first.close()
    second.close()
