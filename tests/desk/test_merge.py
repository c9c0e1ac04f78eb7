from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Message, Status


def merge_url(conversation) -> str:
    return reverse("desk:merge", args=[conversation.pk])


def test_merge_moves_messages_and_redirects_to_the_target(
    signed_in, agent, customer, conversation, open_for
):
    target = open_for(customer, "Same lamp, second email", body="Any news?")
    actions.add_note(conversation=conversation, author=agent, body="Duplicate of the other one")
    client = signed_in(agent)
    response = client.post(merge_url(conversation), {"target": f"#{target.pk}"})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:conversation", args=[target.pk])
    assert Message.objects.filter(conversation=target).count() == 3
    assert not Message.objects.filter(conversation=conversation).exists()
    conversation.refresh_from_db()
    assert conversation.merged_into == target and conversation.status == Status.CLOSED
    html = client.get(response["Location"]).content.decode()
    assert f"Merged #{conversation.pk} into #{target.pk}." in html
    assert "The box was crushed" in html
    assert "merged in “My parcel arrived broken” from" in html


def test_htmx_merge_sends_the_browser_to_the_target(
    signed_in, agent, customer, conversation, open_for
):
    target = open_for(customer, "Main")
    response = signed_in(agent).post(
        merge_url(conversation), {"target": target.pk}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == reverse("desk:conversation", args=[target.pk])


def test_target_must_be_visible_to_the_user(
    signed_in, employee, agent, billing, customer, conversation, open_for
):
    hidden = open_for(customer, "Not Eve's")
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    response = signed_in(employee).post(merge_url(conversation), {"target": hidden.pk})
    assert response.status_code == 400
    assert (
        f"There is no conversation #{hidden.pk} that you can work on." in response.content.decode()
    )
    conversation.refresh_from_db()
    assert conversation.merged_into is None


def test_merging_another_customers_conversation_is_refused(
    signed_in, agent, conversation, other_conversation
):
    response = signed_in(agent).post(merge_url(conversation), {"target": other_conversation.pk})
    assert response.status_code == 400
    assert "Only conversations of the same customer can be merged." in response.content.decode()
    assert Message.objects.filter(conversation=other_conversation).count() == 1


def test_merging_into_itself_is_refused(signed_in, agent, conversation):
    response = signed_in(agent).post(merge_url(conversation), {"target": conversation.pk})
    assert "cannot be merged into itself" in response.content.decode()


def test_a_target_that_is_not_a_number_is_explained(signed_in, agent, conversation):
    response = signed_in(agent).post(merge_url(conversation), {"target": "the other one"})
    assert response.status_code == 400
    assert "Enter the number of a conversation" in response.content.decode()


def test_employee_outside_the_team_cannot_merge(
    signed_in, employee, customer, conversation, open_for
):
    target = open_for(customer, "Main")
    response = signed_in(employee).post(merge_url(conversation), {"target": target.pk})
    assert response.status_code == 404
    conversation.refresh_from_db()
    assert conversation.merged_into is None
