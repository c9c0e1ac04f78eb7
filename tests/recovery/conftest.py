"""Follow-up policies and a way to solve a complaint through the real actions, with the
after-commit job run as production runs it (huey is immediate in tests)."""

import pytest

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Status
from everydesk.recovery.models import Contact, FollowUpPolicy, FollowUpStep, OwnerRule
from tests.api.conftest import api  # noqa: F401  (the API client fixture, for the API tests)


def make_policy(name: str = "Every complaint", **fields: object) -> FollowUpPolicy:
    policy = FollowUpPolicy.objects.create(name=name, **fields)
    FollowUpStep.objects.create(
        policy=policy,
        position=1,
        contact=Contact.CALL,
        delay_days=2,
        instructions="Ask whether the replacement arrived.",
    )
    FollowUpStep.objects.create(policy=policy, position=2, contact=Contact.EMAIL, delay_days=14)
    return policy


@pytest.fixture
def policy(db) -> FollowUpPolicy:
    return make_policy(owner_rule=OwnerRule.SOLVER)


@pytest.fixture
def solve(django_capture_on_commit_callbacks):
    """Solve (or otherwise move) a conversation as a person would, and run what follows."""

    def move(conversation: Conversation, actor, status: str = Status.SOLVED) -> Conversation:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.change_status(conversation=conversation, actor=actor, status=status)

    return move
