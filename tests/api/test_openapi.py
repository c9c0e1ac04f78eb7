"""The OpenAPI document and the docs page are served at stable URLs."""

import pytest

EXPECTED_PATHS = {
    "/api/v1/actions",
    "/api/v1/actions/{action_id}/outcome",
    "/api/v1/me",
    "/api/v1/customers",
    "/api/v1/customers/{customer_id}",
    "/api/v1/conversations",
    "/api/v1/conversations/{conversation_id}",
    "/api/v1/conversations/{conversation_id}/merge",
    "/api/v1/conversations/{conversation_id}/messages",
    "/api/v1/conversations/{conversation_id}/messages/multipart",
    "/api/v1/conversations/{conversation_id}/similar",
    "/api/v1/orders",
    "/api/v1/search",
    "/api/v1/shifts",
    "/api/v1/surveys",
    "/api/v1/teams",
    "/api/v1/tiers",
    "/api/v1/topics",
    "/api/v1/topics/{topic_id}",
    "/api/v1/praise",
    "/api/v1/webhooks/deliveries",
    "/api/v1/webhooks/deliveries/{delivery_id}",
    "/api/v1/webhooks/deliveries/{delivery_id}/resend",
    "/api/v1/shift",
    "/api/v1/shift/take-next",
    "/api/v1/shift/take/{conversation_id}",
    "/api/v1/conversations/{conversation_id}/reviews",
    "/api/v1/reviews",
    "/api/v1/reviews/{review_id}/approve",
    "/api/v1/reviews/{review_id}/request-changes",
    "/api/v1/follow-ups",
    "/api/v1/follow-ups/{follow_up_id}",
    "/api/v1/follow-ups/{follow_up_id}/outcome",
    "/api/v1/figures/loyalty",
}


@pytest.fixture
def document(client, db) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_lists_every_path_and_the_bearer_scheme(document):
    assert document["info"]["title"] == "everydesk"
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == EXPECTED_PATHS
    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]


def test_every_operation_documents_the_error_shape(document):
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


def test_document_is_valid_openapi(document):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)


def test_docs_page_loads_its_scripts_from_our_own_server(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
