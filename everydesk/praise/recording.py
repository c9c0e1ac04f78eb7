"""After scoring: turn praise into Praise rows, once per employee per voice; a job then
tells the employee and their manager (praise.announcing).

Called once per scored batch (listening.scorer), with a fixed number of queries per
batch: the staff list, the customers' names, who worked on the conversations, the
praise already recorded, and one insert.
"""

import time
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, Max

from everydesk.accounts.models import STAFF_ROLES, User
from everydesk.conversations.models import Conversation, Kind, Message, MessageKind
from everydesk.customers.models import Customer
from everydesk.listening.models import SentimentLabel, Voice, VoiceSource
from everydesk.praise import names, quotes
from everydesk.praise.models import MatchedBy, Praise

Concerned = dict[int, dict[int, str]]  # conversation id -> employee id -> how


def is_praise(voice: Voice) -> bool:
    """Praise by kind, or a positive survey comment or review (their kind is often
    "other": a short "lovely, thank you" reads as no particular intent)."""
    if voice.score_error or voice.scored_at is None:
        return False
    if voice.kind == Kind.PRAISE:
        return True
    return (
        voice.source in (VoiceSource.SURVEY, VoiceSource.REVIEW)
        and voice.sentiment_label == SentimentLabel.POSITIVE
    )


def record_praise(voices: Sequence[Voice]) -> list[Praise]:
    """Record and announce the praise in freshly scored `voices`; returns the new rows."""
    praise = [voice for voice in voices if is_praise(voice)]
    if not praise:
        return []
    directory = staff_directory()
    staff = directory.ids
    customer_names = dict(
        Customer.objects.filter(
            pk__in={v.customer_id for v in praise if v.customer_id}
        ).values_list("pk", "name")
    )
    concerned = _concerned({v.conversation_id for v in praise if v.conversation_id}, staff)
    done = set(Praise.objects.filter(voice__in=praise).values_list("voice_id", "employee_id"))
    rows = []
    for voice in praise:
        customer_name = customer_names.get(voice.customer_id, "") if voice.customer_id else ""
        for employee_id, how in _employees(voice, directory, customer_name, concerned).items():
            if (voice.pk, employee_id) not in done:
                rows.append(_row(voice, employee_id, how, customer_name))
    if not rows:
        return []
    Praise.objects.bulk_create(rows, ignore_conflicts=True)
    # Telling people is one insert per person told: a job of its own, so the scoring
    # loop does not wait for it.
    from everydesk.praise import tasks  # tasks import announcing, which imports models

    voice_ids = sorted({row.voice_id for row in rows})
    transaction.on_commit(lambda: tasks.announce_praise(voice_ids))
    return rows


# Building the directory costs more than the rest of a batch with thousands of staff, so
# each process keeps it, rebuilt when staff come or go (one small query tells) and at
# least every few minutes (for renames).
_cached: tuple[float, tuple[object, ...], names.Directory] | None = None
DIRECTORY_SECONDS = 300


def staff_directory() -> names.Directory:
    global _cached
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    counts = staff.aggregate(n=Count("pk"), last=Max("pk"), joined=Max("date_joined"))
    fingerprint = tuple(counts.values())
    now = time.monotonic()
    if _cached is None or _cached[1] != fingerprint or now - _cached[0] > DIRECTORY_SECONDS:
        people = staff.values_list("pk", "first_name", "last_name")
        _cached = (now, fingerprint, names.Directory.of(names.Person(*row) for row in people))  # type: ignore[arg-type]
    return _cached[2]


def forget() -> None:
    """Drop this process's copy of the staff list (tests, whose rows vanish each time)."""
    global _cached
    _cached = None


def _employees(
    voice: Voice, directory: names.Directory, customer_name: str, concerned: Concerned
) -> dict[int, str]:
    """Whom the voice names; when it names nobody, who worked on its conversation."""
    workers = concerned.get(voice.conversation_id, {}) if voice.conversation_id else {}
    found = names.named(voice.text, directory, customer_name=customer_name, concerned=set(workers))
    return found or dict(workers)


def _concerned(conversation_ids: set[int], staff: set[int]) -> Concerned:
    """The assignee and the staff who replied in public, per conversation."""
    out: Concerned = defaultdict(dict)
    if not conversation_ids:
        return out
    for conversation_id, user_id in (
        Message.objects.filter(
            conversation_id__in=conversation_ids,
            kind=MessageKind.REPLY,
            author_user__isnull=False,
        )
        .values_list("conversation_id", "author_user_id")
        .distinct()
    ):
        if user_id in staff:
            out[conversation_id][user_id] = MatchedBy.REPLIER
    for conversation_id, user_id in Conversation.objects.filter(
        pk__in=conversation_ids, assignee__isnull=False
    ).values_list("pk", "assignee_id"):
        if user_id in staff:
            out[conversation_id][user_id] = MatchedBy.ASSIGNEE
    return out


def _row(voice: Voice, employee_id: int, how: str, customer_name: str) -> Praise:
    return Praise(
        voice=voice,
        conversation_id=voice.conversation_id,
        employee_id=employee_id,
        matched_by=how,
        quote=quotes.quote(voice.text),
        from_name=quotes.first_name(customer_name),
        created_at=voice.created_at,
    )
