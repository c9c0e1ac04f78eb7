"""Custom action types: their fields are typed and checked, and the tier upgrade acts."""

import pytest

from everydesk.accounts.models import Role
from everydesk.customers.models import CustomerEvent
from everydesk.lib.errors import ActionError
from everydesk.playbook import fields
from everydesk.playbook.actions import take_action
from everydesk.playbook.models import ActionPolicy, ActionStatus, ActionType

SPECS = [
    {
        "name": "size",
        "label": "Size",
        "type": "choice",
        "options": ["S", "M", "L"],
        "required": True,
    },
    {"name": "count", "type": "number"},
    {"name": "gift_wrap", "type": "yes_no"},
    {"name": "note", "type": "text"},
]


@pytest.fixture
def swap(db, agent):
    action_type = ActionType.objects.create(
        name="Size swap", slug="size-swap", has_amount=False, fields=SPECS
    )
    ActionPolicy.objects.create(action_type=action_type, roles=[Role.AGENT])
    return action_type


def test_values_are_stored_typed_and_unknown_names_dropped(conversation, agent, swap):
    action = take_action(
        conversation=conversation,
        actor=agent,
        action_type=swap,
        values={"size": "M", "count": "2", "gift_wrap": "on", "hack": "x"},
    )
    assert action.status == ActionStatus.DONE
    assert action.values == {"size": "M", "count": "2", "gift_wrap": True}
    assert action.amount == 0


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({}, "size", "Size is required"),
        ({"size": "XXL"}, "size", "choose one of S, M, L"),
        ({"size": "S", "count": "two"}, "count", "enter a number"),
        ({"size": "S", "gift_wrap": "maybe"}, "gift_wrap", "answer yes or no"),
    ],
)
def test_bad_values_are_refused_naming_the_field(conversation, agent, swap, values, field, message):
    with pytest.raises(ActionError, match=message) as refused:
        take_action(conversation=conversation, actor=agent, action_type=swap, values=values)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("definitions", "message"),
    [
        ({"name": "x"}, "must be a list"),
        ([{"name": "bad name"}], "letters, digits"),
        ([{"name": "a"}, {"name": "a"}], "used twice"),
        ([{"name": "a", "type": "date"}], "type must be one of"),
    ],
)
def test_admins_definitions_are_checked(definitions, message):
    with pytest.raises(ValueError, match=message):
        fields.check_definitions(definitions)


def test_the_builtin_tier_upgrade_moves_the_customer(conversation, customer, agent, vip, builtins):
    upgrade = builtins["tier-upgrade"]
    ActionPolicy.objects.create(action_type=upgrade, roles=[Role.AGENT])

    take_action(
        conversation=conversation,
        actor=agent,
        action_type=upgrade,
        values={"tier": "vip", "reason": "Third broken lamp"},
    )

    customer.refresh_from_db()
    assert customer.tier == vip and customer.tier_locked
    assert CustomerEvent.objects.get(customer=customer).data["reason"] == "Third broken lamp"
    with pytest.raises(ActionError, match="no tier 'gold'"):
        take_action(
            conversation=conversation,
            actor=agent,
            action_type=upgrade,
            values={"tier": "gold", "reason": "x"},
        )
