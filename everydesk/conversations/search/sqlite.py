"""The SQLite engine: an FTS5 table whose rowid is the conversation id."""

from typing import Any

from django.db import connection

from everydesk.conversations.search.terms import Terms

TABLE = "conversation_search"
CONVERSATIONS = "conversations_conversation"

CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "document, tokenize = 'porter unicode61 remove_diacritics 2')"
)
DROP = f"DROP TABLE IF EXISTS {TABLE}"


def _match(terms: Terms) -> str:
    # Every token is quoted, so nothing the user types is read as FTS5 syntax.
    parts = []
    for word in terms.words:
        stem = word.rstrip("*").replace('"', "")
        parts.append(f'"{stem}"*' if word.endswith("*") else f'"{stem}"')
    parts += ['"' + " ".join(phrase) + '"' for phrase in terms.phrases]
    return " AND ".join(parts)


def add_text(conversation_id: int, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET document = document || char(10) || %s WHERE rowid = %s",
            [text, conversation_id],
        )
        if cursor.rowcount == 0:
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, document) VALUES (%s, %s)", [conversation_id, text]
            )


def replace(conversation_id: int, text: str) -> None:
    remove(conversation_id)
    add_text(conversation_id, text)


def remove(conversation_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [conversation_id])


def start(conversation_id: int, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, document) VALUES (%s, %s)", [conversation_id, text]
        )


def bulk_add(documents: list[tuple[int, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, document) VALUES (%s, %s)", documents)


def search(
    terms: Terms, where: str, params: list[Any], *, before: int | None, limit: int
) -> list[int]:
    seek = f"AND {TABLE}.rowid < %s" if before else ""
    sql = (
        f"SELECT {CONVERSATIONS}.id FROM {TABLE} "
        f"JOIN {CONVERSATIONS} ON {CONVERSATIONS}.id = {TABLE}.rowid "
        f"WHERE {TABLE} MATCH %s {seek} AND ({where}) "
        f"ORDER BY {TABLE}.rowid DESC LIMIT %s"
    )
    args = [_match(terms), *([before] if before else []), *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]
