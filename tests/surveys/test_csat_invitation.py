"""The CSAT survey after a solve: mailed once, to the right person, never for merged,
reopened, opted-out or bouncing conversations."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.surveys.models import Survey, SurveyKind, SurveyOptOut
from tests.mail.outbound import run_jobs_due_at
from tests.surveys.conftest import solve, survey_links, survey_mails


def test_solving_mails_the_customer_one_link_per_rating(solved, customer, agent, vip):
    survey = Survey.objects.get(conversation=solved)
    assert survey.kind == SurveyKind.CSAT
    assert survey.customer == customer
    assert survey.agent == agent
    assert survey.answered_at is None
    [email] = survey_mails()
    assert email.to == [customer.email]
    assert solved.subject in email.subject
    assert sorted(survey_links(email)) == [1, 2, 3, 4, 5]
    assert "/surveys/stop/" in email.extra_headers["List-Unsubscribe"]


def test_survey_keeps_team_and_tier_as_they_were(
    conversation, customer, agent, billing, vip, django_capture_on_commit_callbacks
):
    customer.tier = vip
    customer.save(update_fields=["tier"])
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
    survey = Survey.objects.get(conversation=conversation)
    assert (survey.team, survey.tier) == (billing, vip)


def test_solving_again_after_a_reopen_does_not_ask_twice(
    solved, customer, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_customer_message(conversation=solved, customer=customer, body="Still broken")
        solve(solved, agent)
    assert Survey.objects.filter(conversation=solved).count() == 1
    assert len(survey_mails()) == 1


def test_the_email_waits_for_the_configured_delay(
    conversation, agent, settings, django_capture_on_commit_callbacks
):
    settings.CSAT_DELAY_MINUTES = 60
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
    assert not Survey.objects.exists() and not mail.outbox
    assert run_jobs_due_at(timezone.now() + dt.timedelta(minutes=30)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs_due_at(timezone.now() + dt.timedelta(minutes=61)) == 1
    assert Survey.objects.filter(conversation=conversation).count() == 1
    assert len(survey_mails()) == 1


def test_a_conversation_reopened_before_the_delay_is_not_asked(
    conversation, customer, agent, settings, django_capture_on_commit_callbacks
):
    settings.CSAT_DELAY_MINUTES = 60
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
        actions.add_customer_message(conversation=conversation, customer=customer, body="Wait")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs_due_at(timezone.now() + dt.timedelta(minutes=61)) == 1
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert not Survey.objects.exists() and not survey_mails()


def test_no_csat_for_a_conversation_merged_before_the_email(
    conversation, customer, agent, settings, django_capture_on_commit_callbacks
):
    settings.CSAT_DELAY_MINUTES = 60
    target = actions.open_conversation(customer=customer, subject="Same lamp", body="Again")
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
        actions.merge(source=conversation, target=target, actor=agent)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs_due_at(timezone.now() + dt.timedelta(minutes=61)) == 1
    assert not Survey.objects.filter(conversation=conversation).exists()
    assert not survey_mails()


def test_merging_itself_never_sends_a_csat(
    conversation, customer, agent, django_capture_on_commit_callbacks
):
    target = actions.open_conversation(customer=customer, subject="Same lamp", body="Again")
    with django_capture_on_commit_callbacks(execute=True):
        actions.merge(source=conversation, target=target, actor=agent)
    assert not Survey.objects.exists() and not survey_mails()


def test_customers_who_opted_out_are_not_asked(
    conversation, customer, agent, django_capture_on_commit_callbacks
):
    SurveyOptOut.objects.create(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
    assert not Survey.objects.exists() and not survey_mails()


def test_customers_whose_mail_bounces_are_not_asked(
    conversation, customer, agent, django_capture_on_commit_callbacks
):
    customer.email_bouncing_since = timezone.now()
    customer.save(update_fields=["email_bouncing_since"])
    with django_capture_on_commit_callbacks(execute=True):
        solve(conversation, agent)
    assert not Survey.objects.exists() and not survey_mails()


def test_the_job_run_twice_asks_once(solved, django_capture_on_commit_callbacks):
    from everydesk.surveys import tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_csat(solved.pk, None)
    assert Survey.objects.filter(conversation=solved).count() == 1
    assert len(survey_mails()) == 1


def test_a_solve_by_the_customer_rates_the_assignee(
    conversation, agent, django_capture_on_commit_callbacks
):
    from everydesk.surveys import invitations

    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    Survey.objects.all().delete()
    survey = invitations.start_csat(conversation_id=conversation.pk, solver_id=None)
    assert survey is not None and survey.agent == agent
