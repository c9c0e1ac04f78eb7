"""The page (or, for the API, the JSON) shown when a rate limit refuses a request."""

import json

from django.test import RequestFactory
from django_ratelimit.exceptions import Ratelimited

from everydesk.lib.ratelimited import too_many_requests


def test_people_get_a_friendly_page(db):
    response = too_many_requests(RequestFactory().post("/portal/login/"), Ratelimited())
    assert response.status_code == 429
    assert b"Please wait a moment" in response.content
    assert b"Back button" in response.content


def test_api_clients_get_json(db):
    response = too_many_requests(RequestFactory().get("/api/v1/conversations"), Ratelimited())
    assert response.status_code == 429
    error = json.loads(response.content)["error"]
    assert (error["status"], error["code"]) == (429, "throttled")
