"""The PostgreSQL engine: a tsvector per conversation behind a GIN index."""

from typing import Any

from django.conf import settings
from django.db import connection

from everydesk.conversations.search.terms import Terms

TABLE = "conversation_search"
CONVERSATIONS = "conversations_conversation"

CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "conversation_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    # serves: every full-text match
    f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)",
]
DROP = f"DROP TABLE IF EXISTS {TABLE}"


def _config() -> str:
    return settings.SEARCH_LANGUAGE


def _words(text: str) -> str:
    # PostgreSQL's parser reads "ED-482913" as "ed" and the number -482913, so the
    # digits alone would never match; queries split on hyphens, so documents do too,
    # as SQLite's tokenizer does.
    return text.replace("-", " ")


def _match_clauses(terms: Terms) -> tuple[list[str], list[Any]]:
    """SQL conditions and their arguments; built from clean tokens only."""
    clauses: list[str] = []
    args: list[Any] = []
    exact = [w for w in terms.words if not w.endswith("*")]
    exact += ['"' + " ".join(phrase) + '"' for phrase in terms.phrases]
    if exact:
        clauses.append(f"{TABLE}.document @@ websearch_to_tsquery(%s::regconfig, %s)")
        args += [_config(), " ".join(exact)]
    for word in (w.rstrip("*") for w in terms.words if w.endswith("*")):
        clauses.append(f"{TABLE}.document @@ to_tsquery(%s::regconfig, %s)")
        args += [_config(), f"{word}:*"]
    return clauses, args


def add_text(conversation_id: int, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (conversation_id, document) "
            "VALUES (%s, to_tsvector(%s::regconfig, %s)) "
            f"ON CONFLICT (conversation_id) DO UPDATE "
            f"SET document = {TABLE}.document || EXCLUDED.document",
            [conversation_id, _config(), _words(text)],
        )


def replace(conversation_id: int, text: str) -> None:
    remove(conversation_id)
    add_text(conversation_id, text)


def remove(conversation_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE conversation_id = %s", [conversation_id])


def start(conversation_id: int, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (conversation_id, document) "
            "VALUES (%s, to_tsvector(%s::regconfig, %s))",
            [conversation_id, _config(), _words(text)],
        )


def bulk_add(documents: list[tuple[int, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (conversation_id, document) "
            "VALUES (%s, to_tsvector(%s::regconfig, %s))",
            [(pk, _config(), _words(text)) for pk, text in documents],
        )


# Walking the id index backwards finds a common word's newest matches at once but reads
# every document for a rare one (seconds at a million); the GIN index is the opposite.
# The planner cannot tell them apart under a LIMIT, so search walks only the newest
# RECENT_WINDOW ids, and lets the GIN index find whatever that window did not fill.
RECENT_WINDOW = 20_000


def search(
    terms: Terms, where: str, params: list[Any], *, before: int | None, limit: int
) -> list[int]:
    clauses, args = _match_clauses(terms)
    ceiling = before or _newest_id() + 1
    floor = ceiling - RECENT_WINDOW
    window = f"{TABLE}.conversation_id < %s AND {TABLE}.conversation_id >= %s"
    ids = _select(
        [*clauses, window],
        [*args, ceiling, floor],
        where,
        params,
        limit,
        order=f"{TABLE}.conversation_id DESC",
    )
    if len(ids) < limit and floor > 0:
        # "+ 0" hides the id order from the planner, so it reads the GIN index instead.
        ids += _select(
            [*clauses, f"{TABLE}.conversation_id < %s"],
            [*args, floor],
            where,
            params,
            limit - len(ids),
            order=f"{TABLE}.conversation_id + 0 DESC",
        )
    return ids


def _newest_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(conversation_id), 0) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def _select(
    clauses: list[str], args: list[Any], where: str, params: list[Any], limit: int, *, order: str
) -> list[int]:
    sql = (
        f"SELECT {CONVERSATIONS}.id FROM {TABLE} "
        f"JOIN {CONVERSATIONS} ON {CONVERSATIONS}.id = {TABLE}.conversation_id "
        f"WHERE {' AND '.join(clauses)} AND ({where}) "
        f"ORDER BY {order} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *params, limit])
        return [row[0] for row in cursor.fetchall()]
