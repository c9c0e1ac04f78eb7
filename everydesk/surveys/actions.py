"""Every write a survey answer makes: the answer itself, the portal rating, opting out.

An answer is one conditional UPDATE (still unanswered -> answered), so of two
clicks at once only one counts and the other is told the survey was answered.
In the same transaction the comment becomes a listening voice (scored like any
customer text), the rated conversation's timeline records the rating, a low
answer opens the recovery conversation (recovery.close_the_loop), and the
`survey.answered` webhook is queued for other systems.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from everydesk.conversations import events
from everydesk.conversations.models import Conversation, Status
from everydesk.customers.models import Customer
from everydesk.lib.errors import ActionError
from everydesk.listening import intake
from everydesk.listening.models import VoiceSource
from everydesk.surveys import invitations, recovery
from everydesk.surveys.models import Survey, SurveyKind, SurveyOptOut
from everydesk.webhooks.actions import queue_event

MAX_COMMENT = 4000
RATEABLE = (Status.SOLVED, Status.CLOSED)


def _check_score(survey: Survey, score: int | None) -> int:
    scale = survey.scale
    if score is None or score not in scale:
        raise ActionError(f"Choose a score from {scale.start} to {scale.stop - 1}.", field="score")
    return score


@transaction.atomic
def answer(*, survey: Survey, score: int | None, comment: str = "") -> Survey:
    """Record the customer's answer; a survey is answered once."""
    score = _check_score(survey, score)
    comment = (comment or "").strip()[:MAX_COMMENT]
    now = timezone.now()
    won = Survey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        score=score, comment=comment, answered_at=now
    )
    if not won:
        raise ActionError("This survey has already been answered. Thank you!", code="conflict")
    survey.score, survey.comment, survey.answered_at = score, comment, now
    if comment:
        intake.record_voice(
            source=VoiceSource.SURVEY,
            text=comment,
            customer=survey.customer,
            conversation=survey.conversation,
            created_at=now,
        )
    if survey.conversation is not None:
        events.survey_answered(survey.conversation, survey=survey.pk, kind=survey.kind, score=score)
    if recovery.is_low(survey):
        recovery.close_the_loop(survey)
    queue_event(
        event="survey.answered", payload=_payload(survey), idempotency_key=f"survey-{survey.pk}"
    )
    return survey


def _payload(survey: Survey) -> dict[str, object]:
    """What other systems are told of an answer (webhook `survey.answered`)."""
    return {
        "id": survey.pk,
        "kind": survey.kind,
        "score": survey.score,
        "comment": survey.comment,
        "answered_at": survey.answered_at.isoformat() if survey.answered_at else None,
        "customer": {"id": survey.customer_id, "email": survey.customer.email},
        "conversation_id": survey.conversation_id,
        "recovery_id": survey.recovery_id,
    }


@transaction.atomic
def rate_conversation(
    *, customer: Customer, conversation: Conversation, score: int | None, comment: str = ""
) -> Survey:
    """The portal's "rate this conversation": the same answer as the email's, on the
    conversation's one CSAT survey, made now if the email has not gone out yet."""
    if conversation.customer_id != customer.pk:
        raise ActionError("You can only rate your own conversations.", code="conflict")
    if not rateable(conversation):
        raise ActionError("You can rate a conversation once it is solved.", code="conflict")
    survey = _csat_for(conversation)
    return answer(survey=survey, score=score, comment=comment)


def rateable(conversation: Conversation) -> bool:
    """Solved or closed, not merged away, and not itself a recovery conversation."""
    if conversation.merged_into_id or conversation.status not in RATEABLE:
        return False
    return not Survey.objects.filter(recovery=conversation).exists()


def _csat_for(conversation: Conversation) -> Survey:
    found = Survey.objects.filter(conversation=conversation, kind=SurveyKind.CSAT).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Survey.objects.create(
                **invitations.csat_fields(conversation), agent=conversation.assignee
            )
    except IntegrityError:  # the email job made it a moment ago
        return Survey.objects.get(conversation=conversation, kind=SurveyKind.CSAT)


@transaction.atomic
def opt_out(*, customer: Customer) -> SurveyOptOut:
    """No more surveys for this customer (their conversations are not affected)."""
    stopped, _ = SurveyOptOut.objects.get_or_create(customer=customer)
    return stopped
