"""Two people press "take next" at the same moment, in two threads, on PostgreSQL
(SQLite serialises every writer; the sequential cases are in test_take_next.py)."""

import threading

import pytest
from django.db import connection, connections

from everydesk.frontline import routing

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

ROUNDS = 6


def test_simultaneous_take_next_never_hands_one_conversation_to_two_people(
    settings, employee, colleague, on_shift, customer, asked
):
    settings.SHIFT_MAX_OPEN_TAKES = ROUNDS
    on_shift(employee)
    on_shift(colleague)
    made = {asked(customer, f"Question {n}").pk for n in range(ROUNDS)}
    taken: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=20)

    def press(user) -> None:
        try:
            for _ in range(ROUNDS):
                start.wait()
                got = routing.take_next(user=user)
                if got is not None:
                    taken.append(got.pk)
        except BaseException as error:  # reported below; a thread cannot fail the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(user,)) for user in (employee, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == sorted(made)  # each conversation taken once, none lost
