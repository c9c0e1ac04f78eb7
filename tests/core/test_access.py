"""Who sees what: the rules every view and endpoint relies on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from everydesk.conversations import access, actions
from everydesk.conversations.models import Conversation


@pytest.fixture
def note(conversation, agent):
    return actions.add_note(conversation=conversation, author=agent, body="secret note")


def test_agents_managers_and_admins_see_every_conversation(
    conversation, other_conversation, agent, manager, admin
):
    for user in (agent, manager, admin):
        assert set(access.visible_conversations(user)) == {conversation, other_conversation}
        assert access.get_conversation_for(user, other_conversation.pk) == other_conversation


def test_only_managers_and_admins_see_the_figures(manager, admin, agent, employee, customer):
    assert manager.sees_insights and admin.sees_insights
    assert not any(u.sees_insights for u in (agent, employee, customer.user))


def test_customer_sees_only_their_own(conversation, other_conversation, customer):
    assert list(access.visible_conversations(customer.user)) == [conversation]
    with pytest.raises(Http404):
        access.get_conversation_for(customer.user, other_conversation.pk)


def test_employee_sees_what_is_assigned_to_them_or_their_team(
    conversation, other_conversation, employee, billing, agent
):
    assert not access.visible_conversations(employee).exists()
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    actions.assign(conversation=other_conversation, actor=agent, assignee=employee)
    assert set(access.visible_conversations(employee)) == {conversation, other_conversation}


def test_anonymous_and_deactivated_users_see_nothing(conversation, agent):
    assert not access.visible_conversations(AnonymousUser()).exists()
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert not access.visible_conversations(agent).exists()


def test_customer_user_without_a_profile_sees_nothing(conversation, customer):
    customer.user_id, user = None, customer.user
    customer.save(update_fields=["user"])
    assert not access.visible_conversations(user).exists()


def test_notes_are_hidden_from_customers(conversation, note, customer, agent):
    assert note not in access.visible_messages(customer.user, conversation)
    assert note in access.visible_messages(agent, conversation)


def test_customers_cannot_work_conversations(conversation, customer, agent):
    assert not access.can_work(customer.user, conversation)
    assert access.can_work(agent, conversation)


def test_customer_list_is_limited_to_oneself(customer, other_customer, agent):
    assert list(access.visible_customers(customer.user)) == [customer]
    assert set(access.visible_customers(agent)) == {customer, other_customer}
    with pytest.raises(Http404):
        access.get_customer_for(customer.user, other_customer.pk)


def test_attachment_of_a_note_is_hidden_from_the_customer(conversation, agent, customer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    message = actions.add_note(
        conversation=conversation,
        author=agent,
        body="see file",
        files=[SimpleUploadedFile("x.txt", b"x")],
    )
    attachment = message.attachments.get()
    assert access.get_attachment_for(agent, attachment.pk) == attachment
    with pytest.raises(Http404):
        access.get_attachment_for(customer.user, attachment.pk)
    assert Conversation.objects.count() == 1
