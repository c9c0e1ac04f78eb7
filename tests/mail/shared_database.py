"""A test database that other threads and other processes see too.

The listener's and the poller's threads, and `everydesk` run as a subprocess,
must use the very database the test then checks. Tests using this need
`transactional_db`, so that what they write is committed and visible.

- PostgreSQL: the test database itself; subprocesses get its URL.
- SQLite on disk (EVERYDESK_TEST_DB_NAME set): the same file.
- SQLite in memory (the default): private to this process's connection, so
  for the duration of the block the default connection, in every thread, is
  pointed at an on-disk copy; the in-memory database is put back afterwards.
"""

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from django.db import connection

EVERYDESK = str(Path(sys.executable).with_name("everydesk"))


@contextlib.contextmanager
def shared_database(directory: Path) -> Iterator[dict[str, str]]:
    """Yields the environment for an `everydesk` subprocess using this database."""
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite":
        yield _environment(_postgres_url(settings_dict))
        return
    if not connection.is_in_memory_db():
        yield _environment(f"sqlite:///{settings_dict['NAME']}")
        return
    path = directory / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    in_memory_name = settings_dict["NAME"]
    # Every thread's connection is built from this same settings dict.
    settings_dict["NAME"] = str(path)
    connection.connection = None
    try:
        yield _environment(f"sqlite:///{path}")
    finally:
        connection.close()
        settings_dict["NAME"] = in_memory_name
        connection.connection = memory


def _postgres_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
    return f"postgres://{credentials}{host}{f':{port}' if port else ''}/{settings_dict['NAME']}"


def _environment(database_url: str) -> dict[str, str]:
    # Jobs the subprocess queues run at once, so none linger in the shared queue.
    return {**os.environ, "DATABASE_URL": database_url, "EVERYDESK_QUEUE_IMMEDIATE": "1"}
