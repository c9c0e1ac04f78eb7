"""What a customer's scored words change on their conversation.

- the mood the inbox shows: Conversation.sentiment and .urgency, from the latest
  scored customer voice;
- the kind, when nobody chose one ("other": email opens so), from the model's kind;
- the priority score (sla/priority.py, urgency is one of its parts), and the priority
  raised (never lowered) to the score's band, unless a person set the priority;
- the conversation's meaning vector, for similar conversations and duplicates.

Kind and priority changes go on the timeline with no actor, saying why.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from everydesk.conversations import events
from everydesk.conversations.models import (
    OPEN_STATUSES,
    Conversation,
    Event,
    EventType,
    Kind,
    Priority,
)
from everydesk.listening import display, row_updates
from everydesk.listening.models import Voice, VoiceSource
from everydesk.sla import clocks
from everydesk.sla.models import ConversationSla

# Below this the model is guessing; "other" is then the honest kind.
MIN_KIND_CONFIDENCE = 0.4


@dataclass(frozen=True)
class Latest:
    sentiment: float
    urgency: int
    signals: list[str]
    kind: str
    kind_confidence: float


def apply(voices: Sequence[Voice]) -> None:
    """After `voices` were scored: update their conversations (call in the saving transaction)."""
    ids = sorted({v.conversation_id for v in voices if v.conversation_id})
    if not ids:
        return
    from everydesk.listening import similar  # numpy: loaded only where scoring runs

    latest, embeddings = _read_scored(ids)
    similar.store_vectors(embeddings)
    with transaction.atomic():
        _update(ids, latest)


def _read_scored(ids: Sequence[int]) -> tuple[dict[int, Latest], dict[int, list[bytes]]]:
    """The latest scores and every embedding of the conversations' customer messages."""
    rows = (
        Voice.objects.filter(
            conversation_id__in=ids,
            source=VoiceSource.MESSAGE,
            scored_at__isnull=False,
            score_error="",
        )
        .order_by("conversation_id", "created_at", "id")
        .values_list(
            "conversation_id",
            "sentiment",
            "urgency",
            "urgency_signals",
            "kind",
            "kind_confidence",
            "embedding",
        )
    )
    latest: dict[int, Latest] = {}
    embeddings: dict[int, list[bytes]] = defaultdict(list)
    for conversation_id, sentiment, urgency, signals, kind, confidence, embedding in rows:
        # Ordered oldest first: the last row seen per conversation is its latest.
        latest[conversation_id] = Latest(
            sentiment or 0.0, urgency or 0, list(signals or []), kind, confidence or 0.0
        )
        if embedding:
            embeddings[conversation_id].append(bytes(embedding))
    return latest, embeddings


@dataclass(frozen=True)
class Choices:
    """What people chose, as the timeline records it."""

    kind: set[int]  # a person changed the kind
    priority: set[int]  # a person changed the priority
    opened_by_staff: set[int]  # staff opened it, possibly with a priority of their choosing
    raised: set[int]  # listening raised the priority before


def person_choices(ids: Sequence[int]) -> Choices:
    rows = Event.objects.filter(
        conversation_id__in=ids,
        type__in=[
            EventType.KIND_CHANGED,
            EventType.PRIORITY_CHANGED,
            EventType.OPENED,
            EventType.PRIORITY_RAISED,
        ],
    ).values_list("conversation_id", "type", "actor_id")
    found = Choices(set(), set(), set(), set())
    for conversation_id, type_, actor_id in rows:
        if type_ == EventType.PRIORITY_RAISED:
            found.raised.add(conversation_id)
        elif actor_id is None:
            continue
        elif type_ == EventType.KIND_CHANGED:
            found.kind.add(conversation_id)
        elif type_ == EventType.PRIORITY_CHANGED:
            found.priority.add(conversation_id)
        else:
            found.opened_by_staff.add(conversation_id)
    return found


def person_set_priority(conversation: Conversation, choices: Choices) -> bool:
    if conversation.pk in choices.priority:
        return True
    # Opened by staff with a priority other than normal, which listening did not raise.
    return (
        conversation.pk in choices.opened_by_staff
        and conversation.pk not in choices.raised
        and conversation.priority != Priority.NORMAL
    )


def _update(ids: Sequence[int], latest: dict[int, Latest]) -> None:
    choices = person_choices(ids)
    conversations = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("customer", "sla")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    changed = []
    for conversation in conversations:
        scores = latest.get(conversation.pk)
        if scores is None:
            continue
        touched = _summary(conversation, scores)
        touched |= _kind(conversation, scores, chosen=conversation.pk in choices.kind)
        touched |= _priority(
            conversation, scores, person_set=person_set_priority(conversation, choices)
        )
        if touched:
            changed.append(conversation)
    if changed:
        row_updates.update_rows(
            Conversation,
            changed,
            [
                "sentiment",
                "urgency",
                "kind",
                "priority",
                "priority_score",
                "priority_reasons",
                "updated_at",
            ],
        )


def _summary(conversation: Conversation, scores: Latest) -> bool:
    sentiment = round(scores.sentiment, 4)
    if conversation.sentiment == sentiment and conversation.urgency == scores.urgency:
        return False
    conversation.sentiment, conversation.urgency = sentiment, scores.urgency
    return True


def _kind(conversation: Conversation, scores: Latest, *, chosen: bool) -> bool:
    if conversation.kind != Kind.OTHER or chosen:
        return False
    if scores.kind in ("", Kind.OTHER) or scores.kind not in Kind.values:
        return False
    if scores.kind_confidence < MIN_KIND_CONFIDENCE:
        return False
    events.kind_scored(conversation, conversation.kind, scores.kind, scores.kind_confidence)
    conversation.kind = scores.kind
    conversation.updated_at = timezone.now()
    return True


def _clock(conversation: Conversation) -> ConversationSla | None:
    try:
        return conversation.sla
    except ConversationSla.DoesNotExist:
        return None


def _priority(conversation: Conversation, scores: Latest, *, person_set: bool) -> bool:
    """Refresh the priority score (urgency is one of its parts) and raise the priority
    to the score's band: raised, never lowered here, unless a person set it."""
    found = clocks.score_of(conversation, _clock(conversation), timezone.now())
    touched = (found.points, found.reasons) != (
        conversation.priority_score,
        conversation.priority_reasons,
    )
    conversation.priority_score, conversation.priority_reasons = found.points, found.reasons
    target = found.band
    # Lower numbers are more urgent: only ever move towards 1.
    if target >= conversation.priority or person_set:
        return touched
    if conversation.status not in OPEN_STATUSES:
        return touched
    events.priority_raised(
        conversation,
        conversation.priority,
        target,
        [label.lower() for label in display.signal_labels(scores.signals)],
    )
    conversation.priority = target
    conversation.updated_at = timezone.now()
    return True
