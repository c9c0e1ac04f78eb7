"""GET /me names the token's owner."""


def test_me_returns_the_tokens_user(api, agent):
    response = api.get("/me", agent)
    assert response.status_code == 200
    assert response.json() == {
        "id": agent.pk,
        "email": "alice@staff.test",
        "name": "Alice",
        "role": "agent",
    }


def test_me_works_for_a_customer_token(api, customer):
    body = api.get("/me", customer).json()
    assert (body["email"], body["role"]) == ("carol@example.com", "customer")
