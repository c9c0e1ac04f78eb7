"""GET /teams lists teams for staff only."""

from tests.api.conftest import error_of


def test_staff_list_teams(api, employee, billing):
    response = api.get("/teams", employee)
    assert response.status_code == 200
    assert response.json() == {"items": [{"id": billing.pk, "name": "Billing"}], "next": None}


def test_customers_cannot_list_teams(api, customer, billing):
    response = api.get("/teams", customer)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
