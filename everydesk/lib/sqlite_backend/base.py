"""SQLite with writers queued on a kernel file lock.

SQLite lets one writer in at a time and makes the others poll: its busy
handler sleeps in steps of up to 100 ms, so under concurrent writes a request
can wait a second while the lock sat free most of that time. Taking an
exclusive flock() before BEGIN IMMEDIATE makes waiting writers block in the
kernel and wake the moment the previous transaction ends. Readers never take
it (WAL lets them read during a write), and every process of the same data
directory shares it, so it works across gunicorn workers and the job worker.
"""

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None  # a private database has no other writers to queue behind
        return f"{self.settings_dict['NAME']}.writelock"

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

    def _release_write_lock(self) -> None:
        if self._write_lock_fd is not None:
            fd, self._write_lock_fd = self._write_lock_fd, None
            os.close(fd)  # closing the descriptor releases the lock

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._release_write_lock()

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
