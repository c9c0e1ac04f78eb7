"""Survey answers in the desk: the recent answers page and the conversation's card."""

from django.urls import reverse
from django.utils import timezone

from everydesk.surveys import actions
from everydesk.surveys.models import Survey, SurveyKind


def test_staff_see_recent_answers_newest_first(client, agent, customer, csat):
    actions.answer(survey=csat, score=2, comment="Too slow")
    Survey.objects.create(
        kind=SurveyKind.NPS, customer=customer, answered_at=timezone.now(), score=10
    )
    client.force_login(agent)
    page = client.get(reverse("surveys:recent")).content.decode()
    assert page.index("10/10") < page.index("2/5")
    assert "Too slow" in page
    csat.refresh_from_db()
    assert f"/desk/c/{csat.recovery_id}/" in page


def test_the_list_filters_by_kind(client, agent, customer, csat):
    actions.answer(survey=csat, score=4)
    Survey.objects.create(
        kind=SurveyKind.NPS, customer=customer, answered_at=timezone.now(), score=8
    )
    client.force_login(agent)
    page = client.get(reverse("surveys:recent"), {"kind": "nps"}).content.decode()
    assert "8/10" in page and "4/5" not in page


def test_unanswered_surveys_are_not_listed(client, agent, csat):
    client.force_login(agent)
    assert "No answers yet" in client.get(reverse("surveys:recent")).content.decode()


def test_customers_do_not_see_the_list(client, customer):
    client.force_login(customer.user)
    assert client.get(reverse("surveys:recent")).status_code == 404


def test_the_list_is_a_pinned_number_of_queries(
    client, agent, customer, conversation, django_assert_max_num_queries
):
    for score in range(11):
        Survey.objects.create(
            kind=SurveyKind.NPS, customer=customer, answered_at=timezone.now(), score=score
        )
    client.force_login(agent)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("surveys:recent"))
    assert response.content.decode().count('class="survey-row"') == 11


def test_the_conversation_card_shows_its_rating_and_recovery(client, agent, csat):
    actions.answer(survey=csat, score=1, comment="Never again")
    csat.refresh_from_db()
    client.force_login(agent)
    card = client.get(reverse("surveys:conversation", args=[csat.conversation_id]))
    text = card.content.decode()
    assert "1/5" in text and "Never again" in text
    assert f"/desk/c/{csat.recovery_id}/" in text
    recovery = client.get(reverse("surveys:conversation", args=[csat.recovery_id])).content
    assert b"Never again" in recovery and f"/desk/c/{csat.conversation_id}/".encode() in recovery


def test_the_conversation_page_loads_the_card(client, agent, csat):
    client.force_login(agent)
    page = client.get(reverse("desk:conversation", args=[csat.conversation_id])).content.decode()
    assert reverse("surveys:conversation", args=[csat.conversation_id]) in page


def test_the_card_of_an_unseen_conversation_is_not_found(client, employee, csat):
    client.force_login(employee)
    assert (
        client.get(reverse("surveys:conversation", args=[csat.conversation_id])).status_code == 404
    )
