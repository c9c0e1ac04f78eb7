"""Asking a mentor to review a reply, and the mentor's answer (frontline/review.py),
through the composer and /desk/reviews/."""

import pytest
from django.core import mail
from django.urls import reverse

from everydesk.conversations.models import Event, EventType, Message, MessageKind
from everydesk.frontline import routing
from everydesk.frontline.models import ReplyReview, ReviewStatus
from everydesk.notifications.models import Notification

pytestmark = pytest.mark.django_db

REVIEWS = reverse("desk:reviews")
DRAFT = "Hello Carol, you can change the address under My orders."


@pytest.fixture
def taken(employee, manager, on_shift, customer, asked):
    """Eve, who reports to Max, is on shift and has taken a question."""
    employee.manager = manager
    employee.save(update_fields=["manager"])
    on_shift(employee)
    asked(customer)
    return routing.take_next(user=employee)


def ask(client, conversation, body=DRAFT):
    return client.post(
        reverse("desk:reply", args=[conversation.pk]), {"body": body, "intent": "review"}
    )


def replies(conversation):
    return Message.objects.filter(conversation=conversation, kind=MessageKind.REPLY)


def test_asking_for_review_holds_the_draft_and_tells_the_manager(
    signed_in, employee, manager, taken, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(signed_in(employee), taken)
    assert response.status_code == 302
    review = ReplyReview.objects.get()
    assert (review.author, review.mentor, review.body) == (employee, manager, DRAFT)
    assert review.status == ReviewStatus.REQUESTED
    assert not replies(taken).exists()
    assert [m.to for m in mail.outbox] == [[manager.email]]  # the mentor, not the customer
    assert Notification.objects.get(user=manager).url == REVIEWS
    assert Event.objects.filter(conversation=taken, type=EventType.REVIEW_REQUESTED).exists()
    page = signed_in(employee).get(response["Location"]).content.decode()
    assert "waits for Max to review it" in page


def test_the_mentor_approves_and_only_then_the_customer_gets_the_reply(
    signed_in, client, employee, manager, taken, django_capture_on_commit_callbacks
):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    client.force_login(manager)
    assert DRAFT in client.get(REVIEWS).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:review_approve", args=[review.pk]))
    assert response.status_code == 302
    reply = replies(taken).get()
    assert (reply.author_user, reply.body_text) == (employee, DRAFT)
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
    review.refresh_from_db()
    assert (review.status, review.message) == (ReviewStatus.APPROVED, reply)
    assert Notification.objects.filter(user=employee, kind="review_approved").exists()
    event = Event.objects.get(conversation=taken, type=EventType.REVIEW_APPROVED)
    assert event.actor == manager and event.data["author"] == "Eve"
    assert DRAFT not in client.get(REVIEWS).content.decode()


def test_changes_requested_go_back_to_the_author_and_nothing_is_sent(
    signed_in, client, employee, manager, taken, django_capture_on_commit_callbacks
):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    client.force_login(manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("desk:review_changes", args=[review.pk]),
            {"comment": "Add the link to My orders."},
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.CHANGES_REQUESTED
    assert review.comment == "Add the link to My orders."
    assert not replies(taken).exists()
    assert [m.to for m in mail.outbox] == [[employee.email]]
    client.force_login(employee)
    page = client.get(reverse("desk:conversation", args=[taken.pk])).content.decode()
    assert "Max suggests changes:" in page and "Add the link to My orders." in page
    assert DRAFT in page  # back in the reply box to edit
    assert "Max asked for changes to a reply: “Add the link to My orders.”" in page
    assert ask(client, taken, DRAFT + " https://shop.test/orders").status_code == 302
    assert ReplyReview.objects.filter(status=ReviewStatus.REQUESTED).count() == 1


def test_asking_for_changes_needs_a_comment(signed_in, client, employee, manager, taken):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    client.force_login(manager)
    response = client.post(reverse("desk:review_changes", args=[review.pk]), {"comment": " "})
    assert response.status_code == 400
    assert "Say what should change" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.REQUESTED


def test_an_empty_draft_is_refused_with_a_message(signed_in, employee, taken):
    response = ask(signed_in(employee), taken, body="  ")
    assert response.status_code == 400
    assert "The reply is empty." in response.content.decode()
    assert not ReplyReview.objects.exists()


def test_one_waiting_review_per_author_and_conversation(signed_in, employee, taken):
    client = signed_in(employee)
    ask(client, taken)
    response = ask(client, taken, "Another try")
    assert "already asked a mentor" in response.content.decode()
    assert ReplyReview.objects.count() == 1


def test_a_decided_review_cannot_be_approved_again(signed_in, client, employee, manager, taken):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    client.force_login(manager)
    client.post(reverse("desk:review_approve", args=[review.pk]))
    response = client.post(reverse("desk:review_approve", args=[review.pk]), follow=True)
    assert "already been answered" in response.content.decode()
    assert replies(taken).count() == 1


def test_only_the_mentor_may_decide(signed_in, client, employee, agent, colleague, taken):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    for outsider in (agent, colleague, employee):
        client.force_login(outsider)
        assert client.post(reverse("desk:review_approve", args=[review.pk])).status_code == 404
        assert DRAFT not in client.get(REVIEWS).content.decode()
    assert not replies(taken).exists()


def test_without_a_manager_any_agent_of_the_team_reviews(
    signed_in, client, employee, agent, billing, on_shift, customer, asked, admin
):
    billing.members.add(agent)
    on_shift(employee)
    question = asked(customer, team=billing)
    ask(signed_in(employee), question)
    review = ReplyReview.objects.get()
    assert review.mentor is None
    assert list(Notification.objects.values_list("user__email", flat=True)) == [agent.email]
    client.force_login(agent)
    client.post(reverse("desk:review_approve", args=[review.pk]))
    review.refresh_from_db()
    assert (review.status, review.mentor) == (ReviewStatus.APPROVED, agent)
    assert replies(question).get().author_user == employee


def test_agents_have_no_review_button_and_cannot_ask(signed_in, agent, conversation):
    client = signed_in(agent)
    page = client.get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    assert "Ask a mentor to review" not in page
    response = ask(client, conversation)
    assert "Agents send their replies themselves." in response.content.decode()
    assert not ReplyReview.objects.exists()


def test_customers_cannot_reach_reviews(signed_in, customer, employee, taken):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    client = signed_in(customer.user)
    assert client.get(REVIEWS).status_code == 404
    assert client.post(reverse("desk:review_approve", args=[review.pk])).status_code == 404


def test_a_returned_draft_leaves_the_reply_box_once_the_author_replied(
    signed_in, client, employee, manager, taken
):
    ask(signed_in(employee), taken)
    review = ReplyReview.objects.get()
    client.force_login(manager)
    client.post(reverse("desk:review_changes", args=[review.pk]), {"comment": "Shorter."})
    client.force_login(employee)
    client.post(reverse("desk:reply", args=[taken.pk]), {"body": "Short answer."})
    page = client.get(reverse("desk:conversation", args=[taken.pk])).content.decode()
    assert "Short answer." in page
    assert DRAFT not in page


def test_the_review_list_costs_the_same_queries_however_many_wait(
    signed_in, client, employee, manager, on_shift, customer, asked, django_assert_max_num_queries
):
    employee.manager = manager
    employee.save(update_fields=["manager"])
    on_shift(employee)
    author = signed_in(employee)
    for n in range(6):
        ask(author, asked(customer, f"Question {n}"), f"Draft {n}")
    client.force_login(manager)
    # Session, user, the reviews with author, conversation and customer, the bell.
    with django_assert_max_num_queries(5):
        html = client.get(REVIEWS).content.decode()
    assert html.count('class="card review"') == 6
