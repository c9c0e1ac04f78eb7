"""The rating links in a survey email: a GET only asks, a POST answers, once; the
token names one survey and works for a limited time."""

import re
import time
from unittest import mock

from django.core import signing

from everydesk.listening import scorer
from everydesk.listening.models import Voice, VoiceSource
from everydesk.surveys import links
from everydesk.surveys.models import Survey, SurveyKind
from tests.surveys.conftest import survey_links, survey_mails


def _link(score: int) -> str:
    return survey_links(survey_mails()[-1])[score]


def test_opening_a_link_asks_with_the_rating_chosen_and_records_nothing(client, csat):
    response = client.get(_link(4))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'value="4"[^>]*checked', page)
    assert not re.search(r'value="[12356]"[^>]*checked', page)
    csat.refresh_from_db()
    assert csat.answered_at is None and csat.score is None


def test_confirming_records_the_score_and_the_comment(client, csat):
    path = _link(4).split("?")[0]
    response = client.post(path, {"score": "5", "comment": "Quick and kind, thank you"})
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    csat.refresh_from_db()
    assert (csat.score, csat.comment) == (5, "Quick and kind, thank you")
    assert csat.answered_at is not None


def test_the_comment_is_scored_like_any_customer_text(client, csat):
    client.post(_link(2).split("?")[0], {"score": "2", "comment": "Nobody told me anything"})
    scorer.score_pending()
    voice = Voice.objects.get(source=VoiceSource.SURVEY)
    assert voice.text == "Nobody told me anything"
    assert (voice.customer_id, voice.conversation_id) == (csat.customer_id, csat.conversation_id)
    assert voice.scored_at is not None and voice.sentiment is not None


def test_an_answer_without_comment_leaves_no_voice(client, csat):
    client.post(_link(5).split("?")[0], {"score": "5"})
    assert not Voice.objects.filter(source=VoiceSource.SURVEY).exists()


def test_a_second_answer_is_refused_and_changes_nothing(client, csat):
    path = _link(5).split("?")[0]
    client.post(path, {"score": "5", "comment": "Great"})
    replay = client.post(path, {"score": "1", "comment": "Changed my mind"})
    assert replay.status_code == 409
    assert "answered once" in replay.content.decode()
    csat.refresh_from_db()
    assert (csat.score, csat.comment) == (5, "Great")


def test_opening_an_answered_link_shows_the_answer_given(client, csat):
    path = _link(3).split("?")[0]
    client.post(path, {"score": "3"})
    again = client.get(_link(1))
    assert again.status_code == 200
    assert "<strong>3</strong> out of 5" in again.content.decode()


def test_a_score_outside_the_scale_is_refused_with_a_message(client, csat):
    response = client.post(_link(3).split("?")[0], {"score": "9"})
    assert response.status_code == 400
    assert "Please choose a score" in response.content.decode()
    csat.refresh_from_db()
    assert csat.answered_at is None


def test_an_empty_post_is_refused_with_a_message(client, csat):
    response = client.post(_link(3).split("?")[0])
    assert response.status_code == 400
    assert "Please choose a score" in response.content.decode()


def test_a_tampered_token_is_not_found(client, csat):
    path = _link(3).split("?")[0]
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(tampered, {"score": "1"}).status_code == 404
    csat.refresh_from_db()
    assert csat.answered_at is None


def test_a_token_cannot_be_rewritten_to_answer_another_survey(client, csat, other_customer):
    other = Survey.objects.create(kind=SurveyKind.NPS, customer=other_customer)
    token = links.answer_token(csat)
    _, rest = token.split(":", 1)
    forged = signing.b64_encode(f"[{other.pk},{other_customer.pk}]".encode()).decode()
    response = client.post(f"/surveys/answer/{forged}:{rest}/", {"score": "0"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.answered_at is None


def test_a_token_names_its_survey_and_its_customer(client, csat, other_customer):
    # A token signed for (this survey, another customer) names no survey.
    mismatched = signing.dumps([csat.pk, other_customer.pk], salt=links.ANSWER_SALT)
    assert client.post(f"/surveys/answer/{mismatched}/", {"score": "1"}).status_code == 404


def test_an_opt_out_token_cannot_answer(client, csat, customer):
    token = links.opt_out_token(customer)
    assert client.post(f"/surveys/answer/{token}/", {"score": "1"}).status_code == 404


def test_an_expired_link_says_so_and_answers_nothing(client, csat, settings):
    settings.SURVEY_LINK_DAYS = 30
    made = time.time() - 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=made):
        token = links.answer_token(csat)
    response = client.post(f"/surveys/answer/{token}/", {"score": "4"})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    csat.refresh_from_db()
    assert csat.answered_at is None


def test_an_nps_link_takes_zero_to_ten(client, customer):
    survey = Survey.objects.create(kind=SurveyKind.NPS, customer=customer)
    path = f"/surveys/answer/{links.answer_token(survey)}/"
    assert client.post(path, {"score": "0"}).status_code == 200
    survey.refresh_from_db()
    assert survey.score == 0
