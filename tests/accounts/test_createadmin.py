"""The createadmin command makes (or updates) an admin, and refuses weak passwords."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from everydesk.accounts.models import Role, User

STRONG = "plum-orbit-canvas-42"


def run(**options):
    out = StringIO()
    call_command("createadmin", stdout=out, **options)
    return out.getvalue()


def test_creates_an_admin(db):
    output = run(email="boss@example.com", password=STRONG)
    assert "Created admin boss@example.com" in output
    user = User.objects.get(email="boss@example.com")
    assert (user.role, user.is_staff, user.is_superuser, user.is_active) == (
        Role.ADMIN,
        True,
        True,
        True,
    )
    assert user.check_password(STRONG)


def test_updates_an_existing_staff_member(agent):
    output = run(email=agent.email, password=STRONG)
    assert "Updated admin" in output
    agent.refresh_from_db()
    assert (agent.role, agent.is_superuser) == (Role.ADMIN, True)
    assert agent.check_password(STRONG)
    assert User.objects.filter(email=agent.email).count() == 1


def test_password_can_come_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("EVERYDESK_ADMIN_PASSWORD", STRONG)
    run(email="boss@example.com")
    assert User.objects.get(email="boss@example.com").check_password(STRONG)


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "bossexample"])
def test_weak_password_is_refused_and_nothing_changes(db, password):
    with pytest.raises(CommandError, match="too weak"):
        run(email="boss@example.com", password=password)
    assert not User.objects.exists()


def test_no_password_without_a_terminal_is_refused(db, monkeypatch):
    monkeypatch.delenv("EVERYDESK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="No password given"):
        run(email="boss@example.com")
    assert not User.objects.exists()


def test_prompted_passwords_must_match(db, monkeypatch):
    monkeypatch.delenv("EVERYDESK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([STRONG, STRONG + "x"])
    monkeypatch.setattr(
        "everydesk.accounts.management.commands.createadmin.getpass", lambda _: next(answers)
    )
    with pytest.raises(CommandError, match="differ"):
        run(email="boss@example.com")
    assert not User.objects.exists()


def test_customer_address_cannot_become_admin(customer):
    with pytest.raises(CommandError, match="customer's portal sign-in"):
        run(email=customer.email, password=STRONG)
    customer.user.refresh_from_db()
    assert customer.user.role == Role.CUSTOMER


def test_invalid_address_is_refused(db):
    with pytest.raises(CommandError, match="not a valid email address"):
        run(email="boss", password=STRONG)
