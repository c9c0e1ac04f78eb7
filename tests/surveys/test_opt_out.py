"""The "no more surveys" link: a GET asks, a POST (or a mail program's one-click
unsubscribe) stops every survey."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.surveys import sampling
from everydesk.surveys.models import SurveyOptOut
from tests.surveys.conftest import opt_out_path, survey_mails


def test_opening_the_link_asks_first(client, csat, customer):
    response = client.get(opt_out_path(survey_mails()[-1]))
    assert response.status_code == 200
    assert customer.email in response.content.decode()
    assert not SurveyOptOut.objects.exists()


def test_confirming_stops_every_survey(client, csat, customer):
    response = client.post(opt_out_path(survey_mails()[-1]))
    assert response.status_code == 200
    assert SurveyOptOut.objects.filter(customer=customer).exists()
    Conversation.objects.update(updated_at=timezone.now())
    assert not sampling.eligible(timezone.now() + dt.timedelta(days=365)).exists()


def test_one_click_unsubscribe_works_without_a_session(csat, customer):
    browserless = Client(enforce_csrf_checks=True)
    response = browserless.post(opt_out_path(survey_mails()[-1]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert SurveyOptOut.objects.filter(customer=customer).count() == 1


def test_opting_out_twice_keeps_one_row(client, csat, customer):
    path = opt_out_path(survey_mails()[-1])
    client.post(path)
    client.post(path)
    assert SurveyOptOut.objects.filter(customer=customer).count() == 1


def test_a_tampered_opt_out_link_is_not_found(client, csat):
    path = opt_out_path(survey_mails()[-1])
    assert client.post(path[:-4] + "xyz/").status_code == 404
    assert not SurveyOptOut.objects.exists()
