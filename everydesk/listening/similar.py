"""Conversations alike in meaning: similar solved ones (and the replies that solved them),
and possible duplicates among the same customer's open conversations.

A conversation's vector is the normalised mean of its customer messages' embeddings
(ConversationVector, written by the scoring job). Similar solved conversations come
from an in-process index: one float32 matrix per process, loaded lazily on first use
and refreshed incrementally from `updated_at`, searched by one matrix product
(docs/listening.md, "Similar conversations and duplicates", has the measurements
behind this choice). Duplicates need no index: a customer has a handful of open
conversations, read straight from the database.
"""

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.conversations import access
from everydesk.conversations.models import (
    OPEN_STATUSES,
    Conversation,
    Message,
    MessageKind,
    Status,
)
from everydesk.listening import vectors as stored
from everydesk.listening.models import ConversationVector

SIMILAR_COUNT = 5
# Candidates read from the index before filtering by status and visibility in SQL.
CANDIDATES = 60
SOLVED_STATUSES = (Status.SOLVED, Status.CLOSED)


def mean_vector(embeddings: Sequence[bytes]) -> np.ndarray | None:
    """Normalised mean of float32 unit vectors; None if they cancel out or there are none."""
    if not embeddings:
        return None
    mean = stored.stack(embeddings).mean(axis=0)
    return None if float(np.linalg.norm(mean)) < 1e-6 else stored.unit(mean)


def store_vectors(embeddings: Mapping[int, Sequence[bytes]]) -> None:
    """Write the vectors of these conversations from all their customer embeddings."""
    if not embeddings:
        return
    customers = dict(
        Conversation.objects.filter(pk__in=list(embeddings)).values_list("pk", "customer_id")
    )
    now = timezone.now()
    rows = []
    for conversation_id, blobs in embeddings.items():
        vector = mean_vector(blobs)
        if vector is None or conversation_id not in customers:
            continue
        rows.append(
            ConversationVector(
                conversation_id=conversation_id,
                customer_id=customers[conversation_id],
                embedding=stored.to_bytes(vector),
                voice_count=len(blobs),
                updated_at=now,
            )
        )
    ConversationVector.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["conversation"],
        update_fields=["customer_id", "embedding", "voice_count", "updated_at"],
        batch_size=500,
    )


def _vector_of(conversation: Conversation) -> np.ndarray | None:
    row = ConversationVector.objects.filter(conversation=conversation).first()
    return None if row is None else stored.from_bytes(row.embedding)


# --- the index -------------------------------------------------------------------


class VectorIndex:
    """The newest `capacity` conversation vectors in one float32 matrix.

    Rows are replaced in place when a vector changes. Bounded so a process's memory
    and a query's time stay put as history grows (100,000 vectors: about 100 MB and
    tens of milliseconds); past the bound the oldest conversations drop out, so
    "similar solved" looks at the most recent ones.
    """

    GROW = 1024

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, capacity)
        self._lock = threading.Lock()
        self._ids = np.empty(0, dtype=np.int64)
        self._stamps = np.empty(0, dtype=np.float64)  # updated_at of each row, to evict by
        self._matrix: np.ndarray | None = None
        self._size = 0
        self._rows: dict[int, int] = {}
        self._seen_until: datetime | None = None

    def refresh(self) -> None:
        """Read the vectors written since the last look (the newest `capacity` the first time)."""
        with self._lock:
            vectors = ConversationVector.objects.values_list(
                "conversation_id", "embedding", "updated_at"
            )
            if self._seen_until is None:
                rows = list(vectors.order_by("-updated_at")[: self.capacity])[::-1]
            else:
                # >=: rows written in the same instant as the last one seen are read again.
                rows = list(vectors.filter(updated_at__gte=self._seen_until).order_by("updated_at"))
            for conversation_id, blob, updated_at in rows:
                vector = stored.from_bytes(blob)
                self._put(conversation_id, vector, updated_at.timestamp())
                self._seen_until = updated_at
            if self._size > self.capacity + self.capacity // 10:
                self._evict_oldest()

    def _put(self, conversation_id: int, vector: np.ndarray, stamp: float) -> None:
        if self._matrix is None:
            self._matrix = np.zeros((self.GROW, len(vector)), dtype=np.float32)
            self._ids = np.zeros(self.GROW, dtype=np.int64)
            self._stamps = np.zeros(self.GROW, dtype=np.float64)
        if len(vector) != self._matrix.shape[1]:
            return  # written by another model version; re-scored rows replace it later
        row = self._rows.get(conversation_id)
        if row is None:
            if self._size == len(self._ids):
                extra = max(self.GROW, self._size // 4)
                width = self._matrix.shape[1]
                self._matrix = np.vstack([self._matrix, np.zeros((extra, width), np.float32)])
                self._ids = np.concatenate([self._ids, np.zeros(extra, dtype=np.int64)])
                self._stamps = np.concatenate([self._stamps, np.zeros(extra, np.float64)])
            row = self._size
            self._size += 1
            self._rows[conversation_id] = row
            self._ids[row] = conversation_id
        self._matrix[row] = vector
        self._stamps[row] = stamp

    def _evict_oldest(self) -> None:
        assert self._matrix is not None
        keep = np.sort(np.argsort(self._stamps[: self._size])[-self.capacity :])
        self._matrix = self._matrix[keep].copy()
        self._ids, self._stamps = self._ids[keep].copy(), self._stamps[keep].copy()
        self._size = len(keep)
        self._rows = {int(cid): row for row, cid in enumerate(self._ids)}

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k conversations whose vectors are closest (cosine), best first."""
        with self._lock:
            if self._matrix is None or self._size == 0 or len(vector) != self._matrix.shape[1]:
                return []
            scores = self._matrix[: self._size] @ vector
            ids = self._ids[: self._size]
        k = min(k, len(scores))
        top = np.argpartition(scores, -k)[-k:]
        top = top[np.argsort(scores[top])[::-1]]
        return [(int(ids[i]), float(scores[i])) for i in top]

    @property
    def size(self) -> int:
        return self._size

    def memory_bytes(self) -> int:
        return 0 if self._matrix is None else int(self._matrix.nbytes + self._ids.nbytes)


_index: VectorIndex | None = None
_index_lock = threading.Lock()


def index() -> VectorIndex:
    """This process's index, loaded on first use (a process that never asks pays nothing)."""
    global _index
    with _index_lock:
        if _index is None:
            _index = VectorIndex(settings.LISTENING_SIMILAR_MAX_VECTORS)
    _index.refresh()
    return _index


def forget() -> None:
    """Tests: each test's rows vanish with its transaction, and so must the index."""
    global _index
    with _index_lock:
        _index = None


# --- what the desk and the API ask -----------------------------------------------


@dataclass(frozen=True)
class Similar:
    conversation: Conversation
    similarity: float
    solution: Message | None  # the last public reply before it was solved


def similar_solved(
    user: User, conversation: Conversation, *, limit: int = SIMILAR_COUNT
) -> list[Similar]:
    """Solved or closed conversations this user may see, most alike first."""
    return similar_solved_among(_visible(user), conversation, limit=limit)


def similar_solved_among(
    conversations: QuerySet[Conversation], conversation: Conversation, *, limit: int
) -> list[Similar]:
    """The same, searched among `conversations` (the shift guidance reads the whole
    desk's solved cases for their replies, not only what the person may open)."""
    vector = _vector_of(conversation)
    if vector is None:
        return []
    found = [(cid, s) for cid, s in index().nearest(vector, CANDIDATES) if cid != conversation.pk]
    if not found:
        return []
    scores = dict(found)
    candidates = conversations.filter(
        pk__in=list(scores), status__in=SOLVED_STATUSES, merged_into__isnull=True
    )
    ranked = sorted(candidates, key=lambda c: -scores[c.pk])[:limit]
    solutions = _solutions(ranked)
    return [Similar(c, scores[c.pk], solutions.get(c.pk)) for c in ranked]


def _visible(user: User) -> QuerySet[Conversation]:
    return access.visible_conversations(user).select_related("customer")


def _solutions(conversations: Sequence[Conversation]) -> dict[int, Message]:
    """Each conversation's last public reply written before it was solved (one query)."""
    if not conversations:
        return {}
    solved_at = {c.pk: c.solved_at or c.updated_at for c in conversations}
    replies = (
        Message.objects.filter(conversation_id__in=list(solved_at), kind=MessageKind.REPLY)
        .select_related("author_user")
        .order_by("conversation_id", "created_at", "id")
    )
    found: dict[int, Message] = {}
    for reply in replies:
        if reply.created_at <= solved_at[reply.conversation_id]:
            found[reply.conversation_id] = reply
    return found


def possible_duplicates(user: User, conversation: Conversation) -> list[tuple[Conversation, float]]:
    """The same customer's other open conversations about the same thing, most alike first."""
    # One query for the customer's vectors, this conversation's among them.
    vectors = {
        conversation_id: stored.from_bytes(blob)
        for conversation_id, blob in ConversationVector.objects.filter(
            customer_id=conversation.customer_id
        ).values_list("conversation_id", "embedding")
    }
    own = vectors.pop(conversation.pk, None)
    if own is None:
        return []
    threshold = settings.LISTENING_DUPLICATE_PERCENT / 100
    scores = {
        conversation_id: float(vector @ own)
        for conversation_id, vector in vectors.items()
        if len(vector) == len(own) and float(vector @ own) >= threshold
    }
    if not scores:
        return []
    open_ones = _visible(user).filter(
        pk__in=list(scores), status__in=OPEN_STATUSES, merged_into__isnull=True
    )
    return sorted(((c, scores[c.pk]) for c in open_ones), key=lambda pair: -pair[1])
