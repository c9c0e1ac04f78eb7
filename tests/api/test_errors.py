"""Every failure, inside an operation or not, answers in the one JSON error shape."""

import logging

from everydesk.conversations import access, actions
from tests.api.conftest import BASE, error_of


def test_unknown_conversation_is_a_404_in_the_error_shape(api, agent):
    response = api.get("/conversations/999999", agent)
    assert response.status_code == 404
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "message": "No such conversation.",
        "details": [],
    }


def test_invalid_query_is_a_422_naming_each_field_in_plain_words(api, agent):
    response = api.get("/conversations", agent, limit=500, status="lost")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert {(d["field"], d["message"]) for d in error["details"]} == {
        ("limit", "Use a value of at most 100."),
        ("status", "Use one of 'new', 'open', 'pending', 'solved' or 'closed'."),
    }


def test_missing_and_unknown_body_fields_are_named(api, agent):
    response = api.post("/conversations", agent, {"subject": "Hi", "colour": "red"})
    error = error_of(response)
    assert response.status_code == 422
    assert {(d["field"], d["message"]) for d in error["details"]} == {
        ("body", "This field is required."),
        ("colour", "This field is not accepted here."),
    }


def test_body_that_is_not_json_is_a_400(client, api, agent):
    response = client.post(
        BASE + "/conversations",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(agent)}"},
    )
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["message"]) == (
        "bad_request",
        "The request body is not valid JSON.",
    )


def test_refused_action_is_a_400_with_the_field(api, agent, conversation):
    response = api.post(f"/conversations/{conversation.pk}/messages", agent, {"body": "   "})
    assert response.status_code == 400
    assert error_of(response) == {
        "status": 400,
        "code": "invalid",
        "message": "The reply is empty.",
        "details": [{"field": "body", "message": "The reply is empty."}],
    }


def test_conflicting_action_is_a_409(api, agent, customer, conversation):
    other = actions.open_conversation(customer=customer, subject="Again", body="Same lamp.")
    actions.merge(source=conversation, target=other, actor=agent)
    response = api.post(f"/conversations/{conversation.pk}/messages", agent, {"body": "Hello"})
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_malformed_cursor_is_a_400(api, agent):
    response = api.get("/conversations", agent, after="garbage")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_cursor"


def test_unknown_path_under_the_api_is_a_json_404(api, agent):
    response = api.get("/tickets", agent)
    assert response.status_code == 404
    assert "/api/v1/tickets" in error_of(response)["message"]


def test_trailing_slash_gets_a_hint(api, agent):
    response = api.get("/conversations/", agent)
    assert response.status_code == 404
    assert "drop the trailing slash" in error_of(response)["message"]


def test_api_root_and_other_versions_are_json_404s(client):
    for path in ("/api/v1/", "/api/v2/conversations", "/api/"):
        response = client.get(path)
        assert response.status_code == 404
        error_of(response)


def test_post_to_an_unknown_path_is_a_404_not_a_csrf_failure(client):
    response = client.post("/api/v1/tickets", {}, enforce_csrf_checks=True)
    assert response.status_code == 404
    error_of(response)


def test_wrong_method_is_a_405_listing_the_allowed_ones(client, api, agent):
    response = client.delete(BASE + "/me", headers={"Authorization": f"Bearer {api.token(agent)}"})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_unexpected_failure_is_a_logged_500_in_the_error_shape(api, agent, monkeypatch, caplog):
    def broken(user, conversation_id):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(access, "get_conversation_for", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = api.get("/conversations/1", agent)
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "fire" not in error["message"]
    assert "database on fire" in caplog.text


def test_oversized_body_is_a_413(api, agent, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(
        "/conversations", agent, {"customer_email": "d@example.com", "body": "x" * 2000}
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
