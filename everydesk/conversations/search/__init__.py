"""Full-text search over conversations: one interface, two engines.

SQLite uses an FTS5 table, PostgreSQL a tsvector column with a GIN index. Each
conversation has one search document (its subject and every message, notes
included, since only staff search across conversations); new messages are
appended to it inside the same transaction that stores them.

Results come newest conversation first and are keyset-paginated by id: the
engines walk their index in id order and stop after one page, so a common
word costs no more than a rare one.
"""

from types import ModuleType

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from everydesk.conversations.models import Conversation
from everydesk.conversations.search import postgres, sqlite
from everydesk.conversations.search.terms import EmptyQuery, parse

__all__ = ["EmptyQuery", "add_text", "bulk_add", "reindex", "remove", "search", "start"]

# Text beyond this is not indexed (PostgreSQL caps a tsvector at 1 MB).
MAX_INDEXED_CHARS = 100_000


def _engine() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def add_text(conversation_id: int, text: str) -> None:
    """Append text to a conversation's document, creating the document if needed."""
    _engine().add_text(conversation_id, text[:MAX_INDEXED_CHARS])


def start(conversation_id: int, text: str) -> None:
    """Index a new conversation, which has no document yet: one insert."""
    _engine().start(conversation_id, text[:MAX_INDEXED_CHARS])


def reindex(conversation: Conversation) -> None:
    """Rebuild one document from scratch (after a merge or a subject change)."""
    texts = [conversation.subject]
    texts += [
        body[:MAX_INDEXED_CHARS]
        for body in conversation.messages.values_list("body_text", flat=True)
    ]
    _engine().replace(conversation.pk, "\n".join(texts))


def remove(conversation_id: int) -> None:
    _engine().remove(conversation_id)


def bulk_add(documents: list[tuple[int, str]]) -> None:
    """Index many new conversations at once (demo data, benchmarks, imports)."""
    _engine().bulk_add([(pk, text[:MAX_INDEXED_CHARS]) for pk, text in documents])


def search(
    candidates: QuerySet[Conversation], query: str, *, before: int | None, limit: int
) -> list[int]:
    """Ids of conversations in `candidates` matching `query`, newest first.

    `candidates` carries visibility and filters. It must be a filter on the
    conversation table alone (use subqueries, not joins), so its WHERE clause
    can be placed next to the engine's match.
    """
    terms = parse(query)
    where, params = _where_clause(candidates)
    return _engine().search(terms, where, params, before=before, limit=limit)


def _where_clause(candidates: QuerySet[Conversation]) -> tuple[str, list[object]]:
    query = candidates.query
    if query.is_empty():
        return "1 = 0", []
    # Joins Django set up and then trimmed keep a zero refcount; only live ones count.
    if sum(1 for count in query.alias_refcount.values() if count) > 1:
        raise ValueError("search candidates must not join other tables; use subqueries")
    compiler = query.get_compiler(using=candidates.db)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return "1 = 1", []
    except EmptyResultSet:
        return "1 = 0", []
    return (sql or "1 = 1"), list(params)
