"""Named people who appear in every test: an admin, an agent, an employee on the
Billing team, a customer, and another customer who must see none of it."""

import pytest
from django.conf import settings as django_settings

from everydesk.accounts.models import Role, Team, User
from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.customers.models import Customer, Tier
from everydesk.listening import intake as listening_intake
from everydesk.mail import mailboxes
from everydesk.praise import recording as praise_recording
from everydesk.sla import policies


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Attachments go to a fresh folder; jobs run inline unless a test says otherwise."""
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    # Each test's rows vanish with its transaction; so must any copy a process keeps.
    mailboxes.forget()
    praise_recording.forget()
    policies.forget()
    huey = django_settings.HUEY
    was = huey.immediate
    huey.immediate = True
    # Immediate mode keeps delayed jobs in memory for the whole run: a job one test
    # scheduled for later must not come due in another test.
    huey.flush()
    # Nudges to the scoring job run at once: a throttle window opened by the test before
    # would otherwise turn this test's nudge into a scheduled job of its own.
    settings.LISTENING_NUDGE_SECONDS = 0
    listening_intake.forget()
    yield
    huey.immediate = was


def _staff(email: str, role: Role, first: str) -> User:
    return User.objects.create_user(
        username=email, email=email, password="correct horse", role=role, first_name=first
    )


@pytest.fixture
def billing(db) -> Team:
    return Team.objects.create(name="Billing")


@pytest.fixture
def vip(db) -> Tier:
    return Tier.objects.create(name="VIP", slug="vip", rank=10)


@pytest.fixture
def admin(db) -> User:
    user = _staff("ada@staff.test", Role.ADMIN, "Ada")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def agent(db) -> User:
    return _staff("alice@staff.test", Role.AGENT, "Alice")


@pytest.fixture
def manager(db) -> User:
    return _staff("max@staff.test", Role.MANAGER, "Max")


@pytest.fixture
def employee(db, billing) -> User:
    user = _staff("eve@staff.test", Role.EMPLOYEE, "Eve")
    billing.members.add(user)
    return user


def _customer(email: str, name: str) -> Customer:
    user = User.objects.create_user(username=email, email=email, role=Role.CUSTOMER)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return Customer.objects.create(email=email, name=name, user=user)


@pytest.fixture
def customer(db) -> Customer:
    return _customer("carol@example.com", "Carol Jones")


@pytest.fixture
def other_customer(db) -> Customer:
    return _customer("oscar@example.com", "Oscar Outsider")


@pytest.fixture
def conversation(customer) -> Conversation:
    return actions.open_conversation(
        customer=customer,
        subject="My parcel arrived broken",
        body="The box was crushed and the lamp inside is cracked.",
        kind=Kind.COMPLAINT,
    )


@pytest.fixture
def other_conversation(other_customer) -> Conversation:
    return actions.open_conversation(
        customer=other_customer,
        subject="Private matter",
        body="Something only Oscar and the staff may read.",
        kind=Kind.QUESTION,
    )
