"""Closing the loop: a low answer opens one recovery conversation, owned by a person
who is told about it."""

import pytest
from django.core import mail

from everydesk.accounts.models import Role, Team, User
from everydesk.conversations.models import Conversation, EventType, MessageKind, Status
from everydesk.lib.errors import ActionError
from everydesk.notifications.models import Notification
from everydesk.surveys import actions
from everydesk.surveys.models import Survey, SurveyKind


def _answer(survey, score, comment="", *, capture):
    with capture(execute=True):
        return actions.answer(survey=survey, score=score, comment=comment)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_a_low_csat_opens_a_recovery_owned_by_the_solver(csat, agent, customer, capture):
    _answer(csat, 2, "The lamp is still broken", capture=capture)
    csat.refresh_from_db()
    recovery = csat.recovery
    assert recovery is not None and recovery.pk != csat.conversation_id
    assert (recovery.customer, recovery.assignee, recovery.status) == (customer, agent, Status.OPEN)
    [note] = recovery.messages.all()
    assert note.kind == MessageKind.NOTE
    assert "The lamp is still broken" in note.body_text and "2/5" in note.body_text
    event = recovery.events.get(type=EventType.RECOVERY_OPENED)
    assert event.data["rated"] == csat.conversation_id


def test_the_owner_is_told_under_the_bell_and_by_email(csat, agent, capture):
    _answer(csat, 1, "Awful", capture=capture)
    csat.refresh_from_db()
    note = Notification.objects.get(user=agent, kind="survey_recovery")
    assert note.url == f"/desk/c/{csat.recovery_id}/"
    assert any(agent.email in m.to and "close the loop" in m.subject for m in mail.outbox)


def test_the_customer_is_not_mailed_by_the_recovery_itself(csat, customer, capture):
    before = [m for m in mail.outbox if customer.email in m.to]
    _answer(csat, 1, capture=capture)
    assert [m for m in mail.outbox if customer.email in m.to] == before


def test_a_good_answer_opens_nothing(csat, capture):
    _answer(csat, 3, capture=capture)
    csat.refresh_from_db()
    assert csat.recovery is None
    assert not Notification.objects.filter(kind="survey_recovery").exists()


def test_a_survey_opens_one_recovery_at_most(csat, capture):
    _answer(csat, 1, capture=capture)
    with pytest.raises(ActionError):
        _answer(csat, 1, capture=capture)
    assert Conversation.objects.filter(recovery_for__isnull=False).count() == 1


def test_the_threshold_is_configurable(csat, settings, capture):
    settings.CSAT_RECOVERY_AT = 3
    _answer(csat, 3, capture=capture)
    csat.refresh_from_db()
    assert csat.recovery is not None


def test_an_nps_detractor_goes_to_the_tier_owner(customer, vip, manager, capture):
    vip.owner = manager
    vip.save(update_fields=["owner"])
    customer.tier = vip
    customer.save(update_fields=["tier"])
    survey = Survey.objects.create(kind=SurveyKind.NPS, customer=customer, tier=vip)
    _answer(survey, 6, "Too expensive", capture=capture)
    survey.refresh_from_db()
    assert survey.recovery.assignee == manager
    assert Notification.objects.filter(user=manager, kind="survey_recovery").exists()


def test_a_passive_nps_opens_nothing(customer, capture):
    survey = Survey.objects.create(kind=SurveyKind.NPS, customer=customer)
    _answer(survey, 7, capture=capture)
    survey.refresh_from_db()
    assert survey.recovery is None


def test_otherwise_the_least_busy_member_of_the_recovery_team(customer, settings, capture):
    team = Team.objects.create(name="Recovery")
    busy, free = (
        User.objects.create_user(username=e, email=e, role=Role.AGENT)
        for e in ("busy@staff.test", "free@staff.test")
    )
    team.members.add(busy, free)
    Conversation.objects.create(customer=customer, subject="Busy", assignee=busy)
    settings.SURVEY_RECOVERY_TEAM = "Recovery"
    survey = Survey.objects.create(kind=SurveyKind.NPS, customer=customer)
    _answer(survey, 0, capture=capture)
    survey.refresh_from_db()
    assert (survey.recovery.assignee, survey.recovery.team) == (free, team)


def test_with_nobody_to_own_it_managers_and_admins_are_told(customer, manager, admin, capture):
    survey = Survey.objects.create(kind=SurveyKind.NPS, customer=customer)
    _answer(survey, 2, capture=capture)
    survey.refresh_from_db()
    assert survey.recovery.assignee is None
    told = set(Notification.objects.filter(kind="survey_recovery").values_list("user", flat=True))
    assert told == {manager.pk, admin.pk}


def test_an_inactive_solver_does_not_own_it(csat, agent, manager, capture):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    _answer(csat, 1, capture=capture)
    csat.refresh_from_db()
    assert csat.recovery.assignee is None
    assert Notification.objects.filter(user=manager, kind="survey_recovery").exists()


def test_the_subject_the_customer_may_see_tells_nothing_of_the_score(csat, capture):
    _answer(csat, 1, "Awful", capture=capture)
    csat.refresh_from_db()
    assert csat.recovery.subject == f"Following up on “{csat.conversation.subject}”"


def test_solving_the_recovery_asks_no_new_csat(csat, agent, capture):
    from tests.surveys.conftest import solve, survey_mails

    _answer(csat, 1, capture=capture)
    csat.refresh_from_db()
    with capture(execute=True):
        solve(csat.recovery, agent)
    assert not Survey.objects.filter(conversation=csat.recovery).exists()
    assert len(survey_mails()) == 1  # the first conversation's only


def test_the_portal_offers_no_rating_on_a_recovery(client, csat, customer, agent, capture):
    from tests.surveys.conftest import solve

    _answer(csat, 1, capture=capture)
    csat.refresh_from_db()
    solve(csat.recovery, agent)
    client.force_login(customer.user)
    page = client.get(f"/portal/c/{csat.recovery_id}/").content.decode()
    assert "Rate this conversation" not in page
    assert client.post(f"/portal/c/{csat.recovery_id}/rate/", {"score": "5"}).status_code == 409


def test_other_systems_hear_of_the_answer_and_its_recovery(csat, customer, capture):
    from everydesk.webhooks.models import Delivery, Endpoint

    Endpoint.objects.create(name="CRM", url="https://crm.example.com/hook", secret="s" * 32)
    _answer(csat, 1, "Awful", capture=capture)
    csat.refresh_from_db()
    [delivery] = Delivery.objects.filter(event="survey.answered")
    assert delivery.payload["score"] == 1 and delivery.payload["comment"] == "Awful"
    assert delivery.payload["customer"] == {"id": customer.pk, "email": customer.email}
    assert delivery.payload["recovery_id"] == csat.recovery_id
