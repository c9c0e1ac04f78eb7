"""SQLite with writers queued on a kernel file lock.

SQLite lets one writer in at a time and makes the others poll: its busy
handler sleeps in steps of up to 100 ms, so under concurrent writes a request
can wait a second while the lock sat free most of that time. Taking an
exclusive flock() before BEGIN IMMEDIATE makes waiting writers block in the
kernel and wake the moment the previous transaction ends. Readers never take
it (WAL lets them read during a write), and every process of the same data
directory shares it, so it works across gunicorn workers and the job worker.

Checkpoints (copying the WAL back into the database file) happen outside that
queue. SQLite runs one by itself inside the COMMIT that takes the WAL past 1,000
pages, so the writer doing it kept the queue, and every other writer waited, for
the whole copy: 10-30 ms with two disk flushes, every 50 or so conversations at a
million of them, a third of the time each write held the queue. Here every
CHECKPOINT_EVERY-th commit of a process runs a passive checkpoint after leaving
the queue (one checkpointer at a time; writers carry on meanwhile), and SQLite's
own stays on only as a backstop for a WAL past AUTOCHECKPOINT_PAGES.
"""

import fcntl
import itertools
import os
import sqlite3
from typing import Any

from django.db.backends.sqlite3 import base

# About SQLite's default spacing: a new conversation writes some 20 pages.
CHECKPOINT_EVERY = 50
# SQLite's own checkpoint, inside the queue, only if ours fall behind (~40 MB of WAL).
AUTOCHECKPOINT_PAGES = 10_000

_commits = itertools.count(1)  # this process's commits; next() is atomic under the GIL


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None

    def _lock_path(self, kind: str = "writelock") -> str | None:
        if self.is_in_memory_db():
            return None  # a private database has no other writers to queue behind
        return f"{self.settings_dict['NAME']}.{kind}"

    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        connection: sqlite3.Connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            connection.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        path = self._lock_path()
        if path and self._write_lock_fd is None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._write_lock_fd = fd
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private hook the stubs omit
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> bool:
        if self._write_lock_fd is None:
            return False
        fd, self._write_lock_fd = self._write_lock_fd, None
        os.close(fd)  # closing the descriptor releases the lock
        return True

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            queued = self._release_write_lock()
        if queued and next(_commits) % CHECKPOINT_EVERY == 0:
            self.checkpoint()

    def checkpoint(self) -> bool:
        """Copy the WAL into the database file now, unless another connection is at it.

        Passive: it copies what no reader still needs and never blocks writers. Runs
        between transactions, outside the writer queue. Returns whether it ran.
        """
        path = self._lock_path("checkpointlock")
        if path is None or self.connection is None:
            return False
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # someone is checkpointing already; the next turn will do
            try:
                self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.OperationalError:
                return False  # busy: harmless, the WAL keeps the pages until the next turn
            return True
        finally:
            os.close(fd)

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._release_write_lock()
