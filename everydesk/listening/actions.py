"""Every write people make to topics and alerts. Pages and the API call these.

Each is keyword-only, runs in one transaction, and leaves an audit row: TopicChange
for topics (who renamed, merged, split, moved or pinned what), the alert's own
acknowledged_by / resolved_by / outreach_by for alerts. Regrouping calls
`create_topic` and `merge_topics` too, with no actor.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.lib.errors import ActionError
from everydesk.lib.placeholders import unknown_placeholders
from everydesk.listening import clustering, topics, volumes
from everydesk.listening.models import (
    Alert,
    AlertStatus,
    Topic,
    TopicChange,
    TopicChangeAction,
    Voice,
)

MAX_NAME = 120
MAX_SPLIT_PARTS = 8
# What a proactive message may say about its reader and its sender.
OUTREACH_PLACEHOLDERS = frozenset(
    {"customer.first_name", "customer.name", "customer.email", "agent.first_name", "agent.name"}
)


def _record(topic: Topic, action: str, actor: User | None, **detail: object) -> TopicChange:
    return TopicChange.objects.create(topic=topic, action=action, actor=actor, detail=detail)


def _lock(*ids: int) -> dict[int, Topic]:
    """Topics re-read under a lock, in id order so two opposite edits cannot deadlock."""
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    if len(locked) != len(set(ids)):
        raise ActionError("That topic no longer exists.", code="conflict")
    return locked


def _refuse_if_merged(topic: Topic) -> None:
    if topic.merged_into_id:
        raise ActionError(
            f"This topic was merged into topic {topic.merged_into_id}; work there.",
            code="conflict",
        )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ActionError("Give the topic a name.", field="name")
    if len(name) > MAX_NAME:
        raise ActionError(f"Use at most {MAX_NAME} characters.", field="name")
    return name


@transaction.atomic
def rename_topic(*, topic: Topic, actor: User, name: str) -> Topic:
    """A person's name, kept from then on by regrouping."""
    name = _clean_name(name)
    topic = _lock(topic.pk)[topic.pk]
    _refuse_if_merged(topic)
    if name != topic.name or not topic.named_by_person:
        _record(topic, TopicChangeAction.RENAMED, actor, old=topic.name, new=name)
        topic.name, topic.named_by_person, topic.updated_at = name, True, timezone.now()
        topic.save(update_fields=["name", "named_by_person", "updated_at"])
    return topic


@transaction.atomic
def set_pinned(*, topic: Topic, actor: User, pinned: bool) -> Topic:
    """A pinned topic is never merged or split by the machine (people still may)."""
    topic = _lock(topic.pk)[topic.pk]
    _refuse_if_merged(topic)
    if pinned != topic.is_pinned:
        action = TopicChangeAction.PINNED if pinned else TopicChangeAction.UNPINNED
        _record(topic, action, actor)
        topic.is_pinned, topic.updated_at = pinned, timezone.now()
        topic.save(update_fields=["is_pinned", "updated_at"])
    return topic


@transaction.atomic
def merge_topics(*, source: Topic, target: Topic, actor: User | None) -> Topic:
    """Fold `source` into `target`: its voices and counts move, it points to `target`."""
    if source.pk == target.pk:
        raise ActionError("A topic cannot be merged into itself.", field="target")
    locked = _lock(source.pk, target.pk)
    source, target = locked[source.pk], locked[target.pk]
    for topic in (source, target):
        _refuse_if_merged(topic)
    if actor is None and (source.is_pinned or target.is_pinned):
        raise ActionError("Pinned topics are merged only by people.", code="conflict")
    Voice.objects.filter(topic=source).update(topic=target)
    volumes.fold(source.pk, target.pk)
    now = timezone.now()
    # Its alerts cannot resolve on their own any more: the counts are the target's now.
    source.alerts.filter(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]).update(
        status=AlertStatus.RESOLVED, resolved_at=now, resolved_by=actor, updated_at=now
    )
    _record(source, TopicChangeAction.MERGED, actor, into=target.pk, into_name=target.name)
    _record(target, TopicChangeAction.MERGED, actor, source=source.pk, source_name=source.name)
    source.merged_into, source.voice_count, source.updated_at = target, 0, now
    source.save(update_fields=["merged_into", "voice_count", "updated_at"])
    topics.refresh(target)
    if actor is not None:
        # Key words follow the voices; the name stays whatever it was.
        topics.rename([target])
    return target


@transaction.atomic
def create_topic(
    *, voices: Sequence[Voice], actor: User | None, name: str = "", **detail: object
) -> Topic:
    """A new topic from voices that have none (regrouping) or that are moved to it."""
    topic = Topic.objects.create(name=_clean_name(name) if name else "New topic")
    topic.named_by_person = bool(name)
    _record(topic, TopicChangeAction.CREATED, actor, **detail)
    topics.join(topic, voices)
    if actor is not None:
        topics.rename([topic])  # regrouping names all its new topics at once, at the end
    return topic


def _voices_with_embeddings(topic: Topic) -> list[Voice]:
    return list(topic.voices.exclude(embedding=None).order_by("pk"))


@transaction.atomic
def split_topic(*, topic: Topic, actor: User, parts: int = 2) -> list[Topic]:
    """Re-cluster a topic's voices into `parts`; the largest part keeps the topic."""
    if not 2 <= parts <= MAX_SPLIT_PARTS:
        raise ActionError(f"Split into 2 to {MAX_SPLIT_PARTS} parts.", field="parts")
    topic = _lock(topic.pk)[topic.pk]
    _refuse_if_merged(topic)
    voices = _voices_with_embeddings(topic)
    if len(voices) < parts * 2:
        raise ActionError(
            f"This topic has {len(voices)} voices; splitting into {parts} needs {parts * 2}.",
            field="parts",
        )
    labels = clustering.kmeans(topics.matrix((v.embedding for v in voices), topics.centre()), parts)
    sizes = sorted(((int((labels == p).sum()), p) for p in range(parts)), reverse=True)
    created = []
    for size, part in sizes[1:]:
        if size == 0:
            continue
        moving = [v for v, label in zip(voices, labels, strict=True) if label == part]
        created.append(_move_to_new(topic, moving, actor, split_from=topic.pk))
    _record(topic, TopicChangeAction.SPLIT, actor, into=[t.pk for t in created])
    topics.rename([topic, *created])
    return [topic, *created]


def _move_to_new(topic: Topic, moving: list[Voice], actor: User | None, **detail: object) -> Topic:
    new = Topic.objects.create(name="New topic")
    _record(new, TopicChangeAction.CREATED, actor, **detail)
    topics.move(moving, source=topic, target=new)
    return new


@transaction.atomic
def move_voices_to_new_topic(
    *, topic: Topic, voice_ids: Sequence[int], actor: User, name: str = ""
) -> Topic:
    """Take the chosen voices out of a topic into a new one (named by the person, or by
    its key words)."""
    clean = _clean_name(name) if name.strip() else ""
    topic = _lock(topic.pk)[topic.pk]
    _refuse_if_merged(topic)
    moving = list(topic.voices.filter(pk__in=list(voice_ids)))
    if not moving:
        raise ActionError("Choose the voices to move.", field="voices")
    if len(moving) == topic.voice_count:
        raise ActionError("Leave at least one voice in the topic, or rename it.", field="voices")
    new = _move_to_new(topic, moving, actor, moved_from=topic.pk)
    _record(topic, TopicChangeAction.MOVED, actor, to=new.pk, voices=len(moving))
    if clean:
        new.name, new.named_by_person = clean, True
        new.save(update_fields=["name", "named_by_person"])
    topics.rename([topic, new])
    return new


# --- alerts --------------------------------------------------------------------


def _lock_alert(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().select_related("topic").get(pk=alert.pk)


@transaction.atomic
def acknowledge_alert(*, alert: Alert, actor: User) -> Alert:
    """Someone is on it: it stays running (and resolves by itself) but leaves the open list."""
    alert = _lock_alert(alert)
    if alert.status != AlertStatus.OPEN:
        raise ActionError(f"This alert is {alert.get_status_display().lower()}.", code="conflict")
    alert.status, alert.acknowledged_by, alert.updated_at = (
        AlertStatus.ACKNOWLEDGED,
        actor,
        timezone.now(),
    )
    alert.save(update_fields=["status", "acknowledged_by", "updated_at"])
    return alert


@transaction.atomic
def resolve_alert(*, alert: Alert, actor: User | None) -> Alert:
    alert = _lock_alert(alert)
    if alert.status == AlertStatus.RESOLVED:
        raise ActionError("This alert is already resolved.", code="conflict")
    now = timezone.now()
    alert.status, alert.resolved_at, alert.resolved_by, alert.updated_at = (
        AlertStatus.RESOLVED,
        now,
        actor,
        now,
    )
    alert.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
    return alert


def _check_outreach(subject: str, body: str) -> tuple[str, str]:
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject:
        raise ActionError("Write a subject.", field="subject")
    if len(subject) > 255:
        raise ActionError("Use at most 255 characters.", field="subject")
    if not body:
        raise ActionError("Write the message.", field="body")
    for text, field in ((subject, "subject"), (body, "body")):
        unknown = unknown_placeholders(text, set(OUTREACH_PLACEHOLDERS))
        if unknown:
            known = ", ".join(f"{{{p}}}" for p in sorted(OUTREACH_PLACEHOLDERS))
            raise ActionError(f"Unknown placeholder {{{unknown[0]}}}; use {known}.", field=field)
    return subject, body


@transaction.atomic
def send_outreach(*, alert: Alert, actor: User, subject: str, body: str) -> Alert:
    """Queue one proactive message to every affected customer not yet reached by this alert.

    The sending runs in the job queue (listening.tasks.send_alert_outreach) after
    commit, one customer per transaction; an Outreach row per customer makes it
    safe to run twice and keeps anyone from getting it twice.
    """
    from everydesk.listening import tasks

    subject, body = _check_outreach(subject, body)
    alert = _lock_alert(alert)
    now = timezone.now()
    alert.outreach_subject, alert.outreach_body = subject, body
    alert.outreach_by, alert.outreach_requested_at, alert.updated_at = actor, now, now
    alert.save(
        update_fields=[
            "outreach_subject",
            "outreach_body",
            "outreach_by",
            "outreach_requested_at",
            "updated_at",
        ]
    )
    alert_id = alert.pk
    transaction.on_commit(lambda: tasks.send_alert_outreach(alert_id))
    return alert
