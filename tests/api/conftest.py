"""An HTTP client that calls /api/v1 with a real token for whichever named user a test picks."""

import json
from typing import Any

import pytest
from django.test import Client

from everydesk.accounts.models import ApiToken, User
from everydesk.customers.models import Customer

BASE = "/api/v1"


class Api:
    def __init__(self, client: Client) -> None:
        self.client = client
        self._raw: dict[int, str] = {}

    def token(self, who: User | Customer) -> str:
        user = who.user if isinstance(who, Customer) else who
        if user.pk not in self._raw:
            self._raw[user.pk] = ApiToken.issue(user=user, name="tests")[1]
        return self._raw[user.pk]

    def _headers(self, who: User | Customer | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(who)}"} if who is not None else {}

    def get(self, path: str, who: User | Customer | None, **params: Any):
        return self.client.get(BASE + path, params, headers=self._headers(who))

    def post(self, path: str, who: User | Customer | None, data: Any = None):
        return self.client.post(
            BASE + path,
            json.dumps(data or {}),
            content_type="application/json",
            headers=self._headers(who),
        )

    def patch(self, path: str, who: User | Customer | None, data: Any):
        return self.client.patch(
            BASE + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(who),
        )


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def error_of(response) -> dict:
    """The error body, after checking it has the one shape every error takes."""
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == response.status_code
    assert error["message"]
    return error
