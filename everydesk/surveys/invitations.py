"""Who is asked, and when: a CSAT survey after a solve, and mailing any survey.

The conversation lifecycle calls `on_status_changed` inside the action's
transaction, on the busiest paths of the product, so it only compares two
strings and, on a solve, queues one job after commit. Everything else happens in
that job, which decides afresh from what is stored: a conversation reopened or
merged meanwhile is not surveyed, and one that already has a CSAT survey (from an
earlier solve, or rated in the portal) is never asked twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from everydesk.accounts.models import User
from everydesk.conversations.models import Conversation, Status
from everydesk.customers.models import Customer
from everydesk.mail.compose import compose
from everydesk.mail.sending import Failure, send
from everydesk.surveys import links
from everydesk.surveys.models import Survey, SurveyKind

log = logging.getLogger(__name__)


def on_status_changed(conversation: Conversation, actor: User | None, old: str, new: str) -> None:
    """Lifecycle hook: a solve queues the CSAT job once the change is committed."""
    if new == Status.SOLVED and old != Status.SOLVED:
        conversation_id = conversation.pk
        solver_id = actor.pk if actor is not None else None
        transaction.on_commit(lambda: _queue_csat(conversation_id, solver_id))


def _queue_csat(conversation_id: int, solver_id: int | None) -> None:
    from everydesk.surveys import tasks  # the tasks import this module

    delay = settings.CSAT_DELAY_MINUTES * 60
    if delay:
        tasks.send_csat.schedule(args=(conversation_id, solver_id), delay=delay)
    else:
        tasks.send_csat(conversation_id, solver_id)


def askable_q(path: str = "") -> Q:
    """Customers (at `path`, e.g. "customer__") who may be surveyed at all: not opted
    out, and mail to them is not bouncing. A join, not an IN over every customer."""
    return Q(**{f"{path}survey_opt_out__isnull": True, f"{path}email_bouncing_since__isnull": True})


def askable(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    return customers.filter(askable_q())


def start_csat(*, conversation_id: int, solver_id: int | None = None) -> Survey | None:
    """The CSAT survey for a solved conversation, mailed after commit; None if it is not
    to be asked (reopened, merged, already asked, customer opted out or bouncing)."""
    with transaction.atomic():
        conversation = _surveyable(conversation_id)
        if conversation is None:
            return None
        survey = _new_csat(conversation, _agent(conversation, solver_id))
        if survey is not None:
            queue_mail(survey)
    return survey


def _surveyable(conversation_id: int) -> Conversation | None:
    conversation = (
        Conversation.objects.select_related("customer", "assignee")
        .filter(askable_q("customer__"))
        .filter(pk=conversation_id, status=Status.SOLVED, merged_into__isnull=True)
        # A recovery conversation follows a survey answer; asking again would nag.
        .filter(recovery_for__isnull=True)
        .first()
    )
    if conversation is None or conversation.surveys.filter(kind=SurveyKind.CSAT).exists():
        return None
    return conversation


def _agent(conversation: Conversation, solver_id: int | None) -> User | None:
    """Whose work is rated: who solved it if staff, else whoever it was assigned to."""
    solver = User.objects.filter(pk=solver_id).first() if solver_id else None
    if solver is not None and solver.is_staff_member:
        return solver
    return conversation.assignee


def _new_csat(conversation: Conversation, agent: User | None) -> Survey | None:
    try:
        # A savepoint: losing the race to the portal (or a second job) is not an error.
        with transaction.atomic():
            return Survey.objects.create(**csat_fields(conversation), agent=agent)
    except IntegrityError:
        return None


def csat_fields(conversation: Conversation) -> dict[str, object]:
    """What a CSAT survey keeps of its conversation as it stood when asked."""
    customer = conversation.customer
    return {
        "kind": SurveyKind.CSAT,
        "customer": customer,
        "conversation": conversation,
        "team_id": conversation.team_id,
        "tier_id": customer.tier_id,
    }


def queue_mail(survey: Survey) -> None:
    from everydesk.surveys import tasks

    survey_id = survey.pk
    transaction.on_commit(lambda: tasks.mail_survey(survey_id))


def mail(survey_id: int) -> Failure | None:
    """Send one survey's invitation, unless it was answered or the customer opted out
    meanwhile. Built from what is stored, so a retry sends the same links."""
    survey = (
        Survey.objects.select_related("customer", "conversation")
        .filter(askable_q("customer__"))
        .filter(pk=survey_id, answered_at__isnull=True)
        .first()
    )
    if survey is None:
        return None
    failure = send(_email(survey))
    if failure is not None:
        log.warning("survey %s not mailed: %s", survey_id, failure.answer)
    return failure


def _email(survey: Survey) -> EmailMultiAlternatives:
    customer = survey.customer
    stop = links.opt_out_url(customer)
    context = {
        "first_name": customer.first_name,
        "conversation": survey.conversation,
        "choices": [(score, links.answer_url(survey, score)) for score in survey.scale],
        "opt_out_url": stop,
        "days": settings.SURVEY_LINK_DAYS,
    }
    # RFC 2369 and RFC 8058: mail programs show their own "unsubscribe" button.
    headers = {
        "List-Unsubscribe": f"<{stop}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return compose(survey.kind, to=customer.email, context=context, headers=headers)
