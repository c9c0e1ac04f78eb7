"""The API's lean request path: browser-only middleware skipped, every check still made."""

from everydesk.accounts.models import ApiToken, Role
from tests.api.conftest import BASE, error_of

NEW = {"customer_email": "dora@example.com", "subject": "Hinge", "body": "It broke."}


def test_api_answers_set_no_cookies_and_keep_the_security_headers(api, agent):
    response = api.post("/conversations", agent, NEW)
    assert response.status_code == 201
    assert not response.cookies
    assert "Vary" not in response or "Cookie" not in response["Vary"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response  # JSON has nothing for a policy to govern


def test_api_errors_keep_the_one_shape(api):
    response = api.post("/conversations", None, NEW)
    assert error_of(response)["code"] == "unauthorized"
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_page_keeps_its_content_security_policy(client, db):
    response = client.get(BASE + "/docs")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_pages_still_get_sessions_csrf_and_csp(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert "Content-Security-Policy" in response


def test_an_unknown_host_is_refused_on_the_api_too(api, agent):
    response = api.client.get(
        BASE + "/me", headers={"Authorization": f"Bearer {api.token(agent)}"}, HTTP_HOST="evil"
    )
    assert response.status_code == 400


def test_a_session_cookie_gives_no_access_to_the_api(client, agent):
    client.force_login(agent)
    assert client.get(BASE + "/me").status_code == 401


def test_a_demoted_agent_loses_staff_access_on_the_next_call(api, agent):
    assert api.post("/customers", agent, {"email": "e@example.com"}).status_code == 201
    agent.role = Role.CUSTOMER
    agent.save(update_fields=["role"])
    assert api.post("/customers", agent, {"email": "f@example.com"}).status_code == 403


def test_revoking_takes_effect_on_the_next_call(api, agent):
    raw = api.token(agent)
    assert api.get("/me", agent).status_code == 200
    ApiToken.objects.filter(user=agent).update(revoked_at="2026-01-01T00:00:00Z")
    assert api.get("/me", agent).status_code == 401
    assert ApiToken.objects.matching(raw).count() == 0


def test_the_token_check_reads_the_owner_as_the_orm_does(api, agent):
    body = api.get("/me", agent).json()
    assert body["email"] == agent.email
