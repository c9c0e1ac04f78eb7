"""The portal's "rate this conversation": the signed-in customer rates their own
solved conversation once, through the same answer as the email's."""

import pytest
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Status
from everydesk.surveys.models import Survey
from tests.surveys.conftest import survey_links, survey_mails


@pytest.fixture
def carol(client, customer):
    client.force_login(customer.user)
    return client


def _page(conversation) -> str:
    return reverse("portal:conversation", args=[conversation.pk])


def _rate(conversation) -> str:
    return reverse("surveys:rate", args=[conversation.pk])


def test_a_solved_conversation_offers_a_rating(carol, solved):
    page = carol.get(_page(solved)).content.decode()
    assert "Rate this conversation" in page
    assert f'action="{_rate(solved)}"' in page


def test_an_open_conversation_offers_none(carol, conversation):
    assert "Rate this conversation" not in carol.get(_page(conversation)).content.decode()


def test_rating_answers_the_conversations_csat_survey(carol, csat, solved):
    response = carol.post(_rate(solved), {"score": "4", "comment": "Fine in the end"})
    assert response.status_code == 302
    csat.refresh_from_db()
    assert (csat.score, csat.comment) == (4, "Fine in the end")
    page = carol.get(_page(solved)).content.decode()
    assert "You rated this conversation <strong>4</strong>" in page
    assert "Rate this conversation" not in page


def test_rating_before_the_email_went_out_makes_the_one_survey(
    carol, conversation, agent, settings, django_capture_on_commit_callbacks
):
    settings.CSAT_DELAY_MINUTES = 60
    actions.change_status(conversation=conversation, actor=agent, status=Status.SOLVED)
    assert carol.post(_rate(conversation), {"score": "5"}).status_code == 302
    from everydesk.surveys import tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_csat(conversation.pk, agent.pk)  # the delayed job, arriving later
    assert Survey.objects.filter(conversation=conversation).count() == 1
    assert Survey.objects.get(conversation=conversation).score == 5
    assert not survey_mails()


def test_a_conversation_rated_by_email_cannot_be_rated_again(carol, csat, solved, client):
    path = survey_links(survey_mails()[-1])[5].split("?")[0]
    client.post(path, {"score": "5"})
    response = carol.post(_rate(solved), {"score": "1"})
    assert response.status_code == 409
    assert "already been answered" in response.content.decode()
    csat.refresh_from_db()
    assert csat.score == 5


def test_an_open_conversation_cannot_be_rated(carol, conversation):
    response = carol.post(_rate(conversation), {"score": "5"})
    assert response.status_code == 409
    assert "once it is solved" in response.content.decode()
    assert not Survey.objects.exists()


def test_someone_elses_conversation_is_not_found(client, other_customer, solved):
    client.force_login(other_customer.user)
    assert client.post(_rate(solved), {"score": "1"}).status_code == 404
    assert not Survey.objects.filter(answered_at__isnull=False).exists()


def test_a_missing_score_is_refused_with_a_message(carol, csat, solved):
    response = carol.post(_rate(solved), {"comment": "no score"})
    assert response.status_code == 400
    assert "choose a score" in response.content.decode()
    csat.refresh_from_db()
    assert csat.answered_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client, solved):
    response = client.post(_rate(solved), {"score": "1"})
    assert response.status_code == 302 and "/portal/login/" in response["Location"]
