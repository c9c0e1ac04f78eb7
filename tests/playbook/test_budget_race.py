"""Agents acting at the same instant can never together pass a period budget.

Real threads, each with its own database connection and transaction, released
together by a barrier. This is the PostgreSQL CI pass's proof (row locks and the
conditional UPDATE in policies.reserve). It runs whenever the tests run on
PostgreSQL; SQLite's test database lives in shared-cache memory, whose table
locks fail at once instead of waiting, so there the single writer is trusted.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from everydesk.accounts.models import Role, User
from everydesk.playbook.actions import approve, take_action
from everydesk.playbook.models import ActionPolicy, ActionStatus, Budget, Period, TakenAction
from tests.playbook.conftest import refund_values

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races real connections on PostgreSQL"
    ),
]

THREADS = 6


def _race(work) -> list[BaseException]:
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _agent_policy(refund) -> ActionPolicy:
    return ActionPolicy.objects.create(
        action_type=refund,
        roles=[Role.AGENT],
        limit_per_action=Decimal("100"),
        limit_per_period=Decimal("100"),
        period=Period.DAY,
    )


def test_six_takes_at_once_by_one_agent_never_pass_the_budget(conversation, agent, refund):
    _agent_policy(refund)

    def take(_: int) -> None:
        take_action(
            conversation=conversation,
            actor=agent,
            action_type=refund,
            amount="30",
            values=refund_values(),
        )

    assert _race(take) == []
    done = TakenAction.objects.filter(status=ActionStatus.DONE).count()
    waiting = TakenAction.objects.filter(status=ActionStatus.AWAITING_APPROVAL).count()
    assert (done, waiting) == (3, 3)
    assert Budget.objects.get(user=agent).used == Decimal("90.00")
    print(f"\n{connection.vendor}: {done} done, {waiting} sent for approval")


def test_six_approvals_at_once_never_pass_the_approvers_budget(conversation, agent, refund):
    _agent_policy(refund)
    manager = User.objects.create_user(
        username="m@staff.test", email="m@staff.test", role=Role.MANAGER, password="x"
    )
    ActionPolicy.objects.create(
        action_type=refund,
        roles=[Role.MANAGER],
        limit_per_action=Decimal("500"),
        limit_per_period=Decimal("1000"),
        period=Period.QUARTER,
    )
    requests = [
        take_action(
            conversation=conversation,
            actor=agent,
            action_type=refund,
            amount="300",
            values=refund_values(),
        )
        for _ in range(THREADS)
    ]
    assert {r.status for r in requests} == {ActionStatus.AWAITING_APPROVAL}

    def decide(index: int) -> None:
        try:
            approve(action=requests[index], actor=manager)
        except Exception as error:  # refused approvals are expected; anything else is not
            if "budget" not in str(error):
                raise

    assert _race(decide) == []
    assert TakenAction.objects.filter(status=ActionStatus.DONE).count() == 3
    assert Budget.objects.get(user=manager).used == Decimal("900.00")
