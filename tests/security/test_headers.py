"""Headers that keep customer content from reaching out or being framed."""


def test_pages_allow_no_remote_images_or_scripts(client, agent, conversation):
    client.force_login(agent)
    response = client.get(f"/desk/c/{conversation.pk}/")
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy
    assert "script-src 'self'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_cannot_be_framed_except_the_public_form(client):
    assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in client.get("/portal/form/")
