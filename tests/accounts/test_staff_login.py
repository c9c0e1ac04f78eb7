"""Staff sign in with email and password; customers are pointed to their link."""

from django.urls import reverse

URL = reverse("accounts:login")


def test_login_page_offers_customers_a_sign_in_link(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Are you a customer?" in response.content
    assert reverse("portal:login").encode() in response.content


def test_agent_signs_in_with_email_and_password(client, agent):
    response = client.post(URL, {"username": "alice@staff.test", "password": "correct horse"})
    assert response.url == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == agent


def test_wrong_password_is_refused_with_a_message(client, agent):
    response = client.post(URL, {"username": agent.email, "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct email address and password" in response.content
    assert b'value="alice@staff.test"' in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_customer_has_no_password_to_sign_in_with(client, customer):
    response = client.post(URL, {"username": customer.email, "password": ""})
    assert not response.wsgi_request.user.is_authenticated


def test_sign_out_is_a_post(client, agent):
    client.force_login(agent)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.url == URL
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_password_guessing_is_slowed_per_address(client, agent, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(10):
        response = client.post("/accounts/login/", {"username": agent.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        "/accounts/login/", {"username": agent.email, "password": "correct horse"}
    )
    assert response.status_code == 429
    cache.clear()
