"""Fast inserts for generated rows: executemany on SQLite, COPY on PostgreSQL.

Building a model instance per row would spend most of a million-conversation
load in Python, so rows are plain tuples. Each `Table` names its columns once
and checks them against the model, so a field added later cannot be silently
left out (the load fails instead of writing rows the actions would not).
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAIVE_EPOCH = EPOCH.replace(tzinfo=None)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def stamp_converter() -> Callable[[float], Any]:
    """How a UNIX time is written to a datetime column of this database.

    SQLite stores Django datetimes as naive UTC text, exactly `str(datetime)`;
    PostgreSQL takes timezone-aware datetimes.
    """
    if is_postgres():
        return lambda ts: EPOCH + dt.timedelta(seconds=ts)
    return lambda ts: str(_NAIVE_EPOCH + dt.timedelta(seconds=ts))


class Table:
    """One table's insert statement, fed with tuples in `fields` order."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], *, db_ids: bool = False):
        meta = model._meta
        every = {f.attname: f for f in meta.concrete_fields if not f.generated}
        expected = set(every) - ({meta.pk.attname} if db_ids else set())
        if set(fields) != expected:
            raise RuntimeError(
                f"{meta.db_table}: the generator writes {sorted(fields)} "
                f"but the model has {sorted(expected)}; update everydesk/demo."
            )
        self.name = meta.db_table
        self.columns = [every[name].column for name in fields]

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if is_postgres():
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {self.name} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Table and column names come from the models, values are parameters.
                sql = f"INSERT INTO {self.name} ({quoted}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)


class IdSource:
    """Fresh primary keys for one model, handed out before the rows are written.

    The generator needs ids up front (events name their message). PostgreSQL
    hands them out from the table's own sequence, so a server inserting at the
    same time never collides. SQLite continues from the maximum at the start
    of the run; if another process inserts meanwhile, the primary key refuses
    the clash and the load stops with an IntegrityError instead of mixing rows.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.table = model._meta.db_table
        self.next_id: int | None = None

    def take(self, count: int) -> list[int]:
        if count <= 0:
            return []
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return sorted(row[0] for row in cursor.fetchall())
        if self.next_id is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")  # noqa: S608
                self.next_id = cursor.fetchone()[0] + 1
        start, self.next_id = self.next_id, self.next_id + count
        return list(range(start, start + count))


def speed_up_transaction() -> None:
    """Skip waiting for the disk at each chunk's commit (PostgreSQL).

    A crash can lose the last chunks, never corrupt anything, which is the
    right trade for generated data.
    """
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def refresh_statistics(tables: Sequence[str]) -> None:
    """Let the query planner see the new row counts after a bulk load."""
    with connection.cursor() as cursor:
        if is_postgres():
            # VACUUM also marks pages all-visible, which index-only scans need;
            # it cannot run inside a transaction, so tests get plain ANALYZE.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in tables:
                cursor.execute(f"{verb} {table}")
        else:
            # A sampled ANALYZE takes seconds instead of minutes on millions of rows.
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")
