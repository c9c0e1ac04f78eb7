"""The built-in action types and a policy set like a real company's: agents refund up
to 50 at a time and 100 a month, the Billing team (Eve, an employee) 20 and 40, and
managers 500 a time with no monthly limit, so they are the ones asked to approve."""

from decimal import Decimal

import pytest

from everydesk.accounts.models import Role
from everydesk.playbook.builtins import install_builtins
from everydesk.playbook.models import ActionPolicy, ActionType, Period
from everydesk.webhooks.models import Endpoint


@pytest.fixture
def builtins(db) -> dict[str, ActionType]:
    return {action_type.slug: action_type for action_type in install_builtins()}


@pytest.fixture
def refund(builtins) -> ActionType:
    return builtins["refund"]


@pytest.fixture
def policies(refund, billing, manager) -> dict[str, ActionPolicy]:
    agents = ActionPolicy.objects.create(
        action_type=refund,
        roles=[Role.AGENT],
        limit_per_action=Decimal("50"),
        limit_per_period=Decimal("100"),
        period=Period.MONTH,
    )
    team = ActionPolicy.objects.create(
        action_type=refund,
        limit_per_action=Decimal("20"),
        limit_per_period=Decimal("40"),
        period=Period.WEEK,
    )
    team.teams.add(billing)
    managers = ActionPolicy.objects.create(
        action_type=refund, roles=[Role.MANAGER], limit_per_action=Decimal("500")
    )
    return {"agents": agents, "billing": team, "managers": managers}


@pytest.fixture
def endpoint(db) -> Endpoint:
    return Endpoint.objects.create(
        name="Shop", url="http://127.0.0.1:9/hooks", secret="s3cret", events=[]
    )


def refund_values() -> dict[str, str]:
    return {"order": "1042", "reason": "Lamp arrived cracked"}


# The API tests here use the same token client as tests/api.
from tests.api.conftest import api  # noqa: E402, F401
