"""Mentor review in the API: ask, list, approve, request changes."""

import pytest
from django.core import mail

from everydesk.conversations.models import Message, MessageKind
from everydesk.frontline import routing
from everydesk.frontline.models import ReplyReview, ReviewStatus
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

DRAFT = "Hello Carol, your parcel left our warehouse today."


@pytest.fixture
def taken(employee, manager, on_shift, customer, asked):
    employee.manager = manager
    employee.save(update_fields=["manager"])
    on_shift(employee)
    asked(customer)
    return routing.take_next(user=employee)


def replies(conversation):
    return Message.objects.filter(conversation=conversation, kind=MessageKind.REPLY)


def test_ask_list_and_approve_sends_the_reply_only_at_the_end(
    api, employee, manager, taken, django_capture_on_commit_callbacks
):
    response = api.post(f"/conversations/{taken.pk}/reviews", employee, {"body": DRAFT})
    assert response.status_code == 201
    review_id = response.json()["id"]
    assert response.json()["mentor"]["id"] == manager.pk
    assert not replies(taken).exists()
    listed = api.get("/reviews", manager).json()["items"]
    assert [r["id"] for r in listed] == [review_id]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/reviews/{review_id}/approve", manager)
    assert response.status_code == 200
    assert response.json()["status"] == ReviewStatus.APPROVED
    assert response.json()["message_id"] == replies(taken).get().pk
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]


def test_request_changes_needs_a_comment_and_sends_nothing(api, employee, manager, taken):
    review_id = api.post(f"/conversations/{taken.pk}/reviews", employee, {"body": DRAFT}).json()[
        "id"
    ]
    response = api.post(f"/reviews/{review_id}/request-changes", manager, {"comment": ""})
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "comment"
    response = api.post(
        f"/reviews/{review_id}/request-changes", manager, {"comment": "Add the tracking link."}
    )
    assert response.json()["status"] == ReviewStatus.CHANGES_REQUESTED
    assert not replies(taken).exists()


def test_someone_who_is_not_the_mentor_gets_404(api, employee, agent, taken):
    review_id = api.post(f"/conversations/{taken.pk}/reviews", employee, {"body": DRAFT}).json()[
        "id"
    ]
    assert api.post(f"/reviews/{review_id}/approve", agent).status_code == 404
    assert api.get("/reviews", agent).json()["items"] == []
    assert ReplyReview.objects.get().status == ReviewStatus.REQUESTED


def test_a_conversation_out_of_sight_cannot_be_reviewed(api, employee, other_conversation):
    response = api.post(
        f"/conversations/{other_conversation.pk}/reviews", employee, {"body": DRAFT}
    )
    assert response.status_code == 404
    assert not ReplyReview.objects.exists()


def test_customers_cannot_list_reviews(api, customer):
    assert api.get("/reviews", customer).status_code == 403
