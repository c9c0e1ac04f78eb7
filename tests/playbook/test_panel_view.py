"""The "What you can do" panel and the take form beside a conversation."""

from everydesk.conversations.models import MessageKind
from everydesk.playbook.models import ActionStatus, TakenAction
from tests.playbook.conftest import refund_values


def _post(client, conversation, slug, **data):
    return client.post(f"/desk/playbook/c/{conversation.pk}/{slug}/", data)


def test_the_panel_lists_allowed_actions_with_what_is_left(
    client, agent, conversation, policies, django_assert_max_num_queries
):
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        page = client.get(f"/desk/playbook/c/{conversation.pk}/", headers={"HX-Request": "true"})
    text = page.content.decode()
    assert "Refund" in text
    assert "up to 50.00 each; 100.00 left this month" in text
    assert "Credit" not in text  # no policy gives agents credits


def test_an_agent_refunds_within_the_limit_from_the_form(client, agent, conversation, policies):
    client.force_login(agent)
    assert (
        "Above it, this is sent for approval"
        in client.get(f"/desk/playbook/c/{conversation.pk}/refund/").content.decode()
    )

    response = _post(
        client,
        conversation,
        "refund",
        amount="20",
        f_order="1042",
        f_reason="Cracked",
        message="Refunded, Carol.",
    )

    assert response.status_code == 302
    action = TakenAction.objects.get()
    assert (action.status, action.amount, action.values) == (
        ActionStatus.DONE,
        20,
        {"order": "1042", "reason": "Cracked"},
    )
    assert conversation.messages.filter(
        kind=MessageKind.REPLY, body_text="Refunded, Carol."
    ).exists()
    page = client.get(f"/desk/c/{conversation.pk}/").content.decode()
    assert "Refund of 20.00 EUR done." in page
    assert "Alice took Refund of 20.00 EUR" in page


def test_a_form_error_keeps_what_was_typed_and_records_nothing(
    client, agent, conversation, policies
):
    client.force_login(agent)
    response = _post(client, conversation, "refund", amount="20", f_order="1042", message="Hi")
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert 'value="1042"' in response.content.decode()
    assert not TakenAction.objects.exists()


def test_above_the_limit_the_form_sends_it_for_approval(client, agent, conversation, policies):
    client.force_login(agent)
    response = _post(
        client,
        conversation,
        "refund",
        amount="75",
        **{f"f_{k}": v for k, v in refund_values().items()},
    )
    assert response.status_code == 302
    assert TakenAction.objects.get().status == ActionStatus.AWAITING_APPROVAL
    page = client.get(f"/desk/c/{conversation.pk}/").content.decode()
    assert "is above your limit: it was sent for approval" in page


def test_nobody_reaches_a_conversation_or_action_they_may_not(
    client, employee, customer, conversation, other_conversation, policies
):
    client.force_login(employee)  # Billing: neither conversation is theirs
    assert client.get(f"/desk/playbook/c/{conversation.pk}/").status_code == 404
    assert _post(client, conversation, "refund", amount="5").status_code == 404
    client.force_login(customer.user)
    assert client.get(f"/desk/playbook/c/{conversation.pk}/").status_code == 404
    assert not TakenAction.objects.exists()


def test_an_action_type_without_a_policy_for_you_is_not_found(
    client, agent, conversation, policies
):
    client.force_login(agent)
    assert client.get(f"/desk/playbook/c/{conversation.pk}/credit/").status_code == 404
