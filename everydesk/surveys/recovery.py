"""Closing the loop: a low answer opens a conversation that a person owns.

Low means a CSAT at or below EVERYDESK_CSAT_RECOVERY_AT (default 2 of 5) or an NPS
detractor, at or below EVERYDESK_NPS_RECOVERY_AT (default 6 of 10). The recovery
conversation starts with an internal note holding the answer, so the customer is
not mailed until its owner decides what to say. Its owner is the first of:

1. the staff member who solved the rated conversation (CSAT);
2. the owner of the customer's tier (a key-account manager, say);
3. the member of the recovery team (EVERYDESK_SURVEY_RECOVERY_TEAM) with the
   fewest open conversations;

and if nobody qualifies it waits unassigned on the recovery team (or the rated
conversation's team) while every manager and admin is told. `Survey.recovery`
links the two, and it is set once: a survey opens one recovery conversation at most.
"""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from everydesk.accounts.models import Role, Team, User
from everydesk.conversations import actions, events
from everydesk.conversations.models import OPEN_STATUSES, Conversation
from everydesk.notifications.actions import notify
from everydesk.surveys.models import Survey, SurveyKind


def is_low(survey: Survey) -> bool:
    if survey.score is None:
        return False
    limit = (
        settings.CSAT_RECOVERY_AT if survey.kind == SurveyKind.CSAT else settings.NPS_RECOVERY_AT
    )
    return survey.score <= limit


def _recovery_team() -> Team | None:
    name = settings.SURVEY_RECOVERY_TEAM
    return Team.objects.filter(name=name).first() if name else None


def _least_busy(team: Team) -> User | None:
    open_work = Count(
        "assigned_conversations", filter=Q(assigned_conversations__status__in=OPEN_STATUSES)
    )
    members = team.members.filter(is_active=True).exclude(role=Role.CUSTOMER)
    return members.annotate(open_work=open_work).order_by("open_work", "pk").first()


def owner_for(survey: Survey, team: Team | None) -> User | None:
    tier = survey.customer.tier
    for person in (survey.agent, tier.owner if tier else None):
        if person is not None and person.is_staff_member:
            return person
    return _least_busy(team) if team is not None else None


def _score_words(survey: Survey) -> str:
    out_of = 5 if survey.kind == SurveyKind.CSAT else 10
    return f"{survey.score}/{out_of}"


def _note(survey: Survey) -> str:
    customer = survey.customer
    lines = [
        f"{customer} answered a {survey.get_kind_display()} survey with {_score_words(survey)}.",
        f"Comment: {survey.comment}" if survey.comment else "They left no comment.",
    ]
    if survey.conversation is not None:
        rated = survey.conversation
        lines.append(f"The answer is about #{rated.pk} “{rated.subject}”.")
    lines.append("Get in touch, put it right, and reply here so it is on record.")
    return "\n\n".join(lines)


def _subject(survey: Survey) -> str:
    # The customer sees the subject (portal, and the owner's reply email), so it says
    # what the conversation is about and nothing of the score.
    if survey.conversation is not None:
        return f"Following up on “{survey.conversation.subject}”"
    return "Following up on your feedback"


def close_the_loop(survey: Survey) -> Conversation | None:
    """Open the recovery conversation for a low answer (in the answer's transaction)."""
    if survey.recovery_id is not None:
        return None
    team = _recovery_team()
    owner = owner_for(survey, team)
    conversation = actions.open_internal(
        customer=survey.customer,
        subject=_subject(survey),
        note=_note(survey),
        assignee=owner,
        team=team or survey.team,
    )
    events.recovery_opened(
        conversation, survey=survey.pk, rated=survey.conversation_id, owner=owner
    )
    Survey.objects.filter(pk=survey.pk).update(recovery=conversation)
    survey.recovery = conversation
    _tell(survey, conversation, owner)
    return conversation


def _tell(survey: Survey, conversation: Conversation, owner: User | None) -> None:
    people = [owner] if owner else _managers()
    title = f"{survey.customer} gave {_score_words(survey)}: close the loop"
    if owner is None:
        title += " (nobody owns it yet)"
    notify(
        users=people,
        kind="survey_recovery",
        title=title,
        url=reverse("desk:conversation", args=[conversation.pk]),
        body=survey.comment,
        email=True,
    )


def _managers() -> list[User]:
    return list(User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.ADMIN]))
