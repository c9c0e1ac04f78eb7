"""GET /praise: the wall for every member of staff; customers get a 404."""

import pytest

from everydesk.praise.models import MatchedBy, Praise
from tests.praise.conftest import make_staff, praise_voice


def _praise(employee, quote: str, hidden: bool = False) -> Praise:
    praise = Praise.objects.create(
        voice=praise_voice(quote), employee=employee, matched_by=MatchedBy.FULL_NAME, quote=quote
    )
    if hidden:
        Praise.objects.filter(pk=praise.pk).update(hidden_at=praise.created_at)
    return praise


@pytest.mark.parametrize("who", ["admin", "agent", "manager", "employee"])
def test_staff_read_the_wall_newest_first(api, request, who, db):
    priya = make_staff("Priya", "Natarajan", department="Support")
    older = _praise(priya, "First praise")
    newer = _praise(priya, "Second praise")
    _praise(priya, "Hidden praise", hidden=True)

    response = api.get("/praise", request.getfixturevalue(who))

    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [newer.pk, older.pk]
    assert items[0]["employee"] == {"id": priya.pk, "name": "Priya Natarajan"}
    assert "email" not in items[0]["employee"]


def test_customers_get_a_404(api, customer, db):
    response = api.get("/praise", customer)

    assert response.status_code == 404


def test_mine_lists_the_callers_praise_hidden_items_too(api, agent, db):
    _praise(agent, "Alice was great", hidden=True)
    _praise(make_staff("Someone", "Else"), "Not Alice")

    items = api.get("/praise", agent, mine="true").json()["items"]

    assert [i["quote"] for i in items] == ["Alice was great"]


def test_pages_follow_the_cursor(api, agent, db):
    person = make_staff("Priya", "Natarajan")
    made = [_praise(person, f"Quote {n}") for n in range(5)]

    first = api.get("/praise", agent, limit=3).json()
    second = api.get("/praise", agent, limit=3, after=first["next"]).json()

    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == [p.pk for p in reversed(made)]
    assert second["next"] is None


def test_filter_by_department(api, agent, db):
    _praise(make_staff("Priya", "Natarajan", department="Support"), "Support praise")
    _praise(make_staff("Olu", "Adeyemi", department="Billing"), "Billing praise")

    items = api.get("/praise", agent, department="Billing").json()["items"]

    assert [i["quote"] for i in items] == ["Billing praise"]
