"""`everydesk loaddemo` (and `everydesk demo`): the demo set, loaded once."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from everydesk.accounts.models import Role, User
from everydesk.conversations.actions import render_macro
from everydesk.conversations.models import Conversation, Macro, Status
from everydesk.customers.models import Customer
from everydesk.demo.setup import DEMO_PASSWORD, PORTAL_CUSTOMER, STAFF
from everydesk.mail.models import Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Six demo logins with the real hasher cost seconds per test; the check is the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _load(**options: object) -> str:
    out = StringIO()
    call_command(
        "loaddemo", customers=30, conversations=120, no_progress=True, stdout=out, **options
    )
    return out.getvalue()


def test_demo_set_loads_staff_macros_customers_and_conversations():
    output = _load()
    assert "120 conversations" in output
    # Beside the generated ones, low demo survey answers opened recovery conversations.
    recovery = Conversation.objects.filter(recovery_for__isnull=False)
    assert recovery.exists()
    assert Conversation.objects.count() - recovery.count() == 120
    assert Customer.objects.count() == 31  # 30 generated and the portal customer
    assert Macro.objects.count() >= 3
    billing = Mailbox.objects.get(address__startswith="billing@")
    assert billing.team.name == "Billing"
    assert Mailbox.objects.filter(address=settings.DEFAULT_FROM_EMAIL).exists()
    for person in STAFF:
        user = User.objects.get(email=person.email)
        assert user.role == person.role
        assert user.check_password(DEMO_PASSWORD)
        assert sorted(user.teams.values_list("name", flat=True)) == sorted(person.teams)


def test_a_second_load_adds_nothing():
    _load()
    counts = (Conversation.objects.count(), Customer.objects.count(), User.objects.count())
    output = _load()
    assert "no demo data added" in output
    assert (Conversation.objects.count(), Customer.objects.count(), User.objects.count()) == counts


def test_demo_data_is_not_loaded_into_a_database_with_conversations(conversation):
    _load()
    assert Conversation.objects.count() == 1
    assert not User.objects.filter(email="admin@demo.test").exists()


def test_demo_staff_can_sign_in_with_the_printed_password(client):
    _load()
    response = client.post(
        "/accounts/login/", {"username": "alex@demo.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    admin = User.objects.get(email="admin@demo.test")
    assert admin.role == Role.ADMIN and admin.is_superuser


def test_the_portal_customer_is_a_vip_with_conversations():
    _load()
    carol = Customer.objects.get(email=PORTAL_CUSTOMER[0])
    assert carol.tier.slug == "vip"
    assert carol.conversations.exists()
    first = carol.conversations.order_by("id").first().messages.order_by("id").first()
    assert first.author_customer == carol
    assert first.body_text.rstrip().endswith("Carol")  # signed with her name


def test_demo_macros_fill_their_placeholders():
    _load()
    agent = User.objects.get(email="alex@demo.test")
    conversation = Conversation.objects.select_related("customer").first()
    for macro in Macro.objects.all():
        text = render_macro(conversation=conversation, agent=agent, macro=macro)
        assert not re.search(r"\{[a-z_]+\.[a-z_]+\}", text), macro.name
        assert "Alex" in text
    refund = Macro.objects.get(name="Refund issued")
    assert refund.set_status == Status.SOLVED
    assert str(conversation.pk) in render_macro(
        conversation=conversation, agent=agent, macro=refund
    )


def test_demo_staff_have_front_line_shifts_next_quarter():
    from everydesk.frontline.models import Shift

    _load()

    staff = User.objects.exclude(role=Role.CUSTOMER)
    # Next quarter is wholly ahead: everyone has their two 2-hour shifts in it.
    # (One demo employee also has a shift today, outside the rule: the shift inbox's.)
    counts = {u.email: u.shifts.filter(rule__name="Everyone serves").count() for u in staff}
    assert all(n >= 2 for n in counts.values()), counts
    assert Shift.objects.filter(rule__name="Everyone serves").count() == sum(counts.values())


def test_demo_customers_have_orders_and_the_tier_rules_ran():
    from everydesk.customers.models import CustomerEvent, Order, TierRule

    _load()
    portal = Customer.objects.get(email=PORTAL_CUSTOMER[0])
    assert portal.order_count == 8
    assert portal.lifetime_value > 0
    assert Order.objects.values("customer").distinct().count() == 31
    assert TierRule.objects.count() == 2
    assert CustomerEvent.objects.filter(actor=None, data__reason__startswith="Rule:").exists()


def test_demo_playbook_gives_each_role_its_limits(customer):
    from everydesk.demo.setup import create_playbook, create_staff
    from everydesk.playbook.policies import allowances

    create_staff()
    create_playbook()
    create_playbook()  # a second run adds nothing
    alex = User.objects.get(email="alex@demo.test")
    jordan = User.objects.get(email="jordan@demo.test")
    refund = {a.action_type.slug: a for a in allowances(alex, customer)}["refund"]
    assert refund.per_action == 50
    assert {a.action_type.slug: a for a in allowances(jordan, customer)}["refund"].per_action == 20
    assert len(allowances(alex, customer)) == 6


def test_the_demo_employee_is_on_a_shift_with_a_mentor(client):
    from django.urls import reverse

    from everydesk.demo import setup
    from everydesk.frontline import shift_inbox

    # The step itself (loading the whole set needs the generator to know every field).
    setup.create_staff()
    setup.put_on_shift()
    setup.put_on_shift()  # a second load adds no second shift
    jordan = User.objects.get(email="jordan@demo.test")
    assert shift_inbox.current_shift(jordan) is not None
    assert jordan.shifts.count() == 1
    assert jordan.manager.email == "admin@demo.test"
    client.force_login(jordan)
    assert "Take next" in client.get(reverse("desk:shift")).content.decode()


def test_the_demo_has_a_follow_up_policy_and_some_follow_ups_due():
    from everydesk.recovery.models import FollowUp, FollowUpPolicy, SolvedComplaint

    _load()
    assert FollowUpPolicy.objects.filter(name="Call back every complaint").exists()
    solved_complaints = Conversation.objects.filter(
        kind="complaint", status__in=[Status.SOLVED, Status.CLOSED], solved_at__isnull=False
    )
    assert SolvedComplaint.objects.count() == solved_complaints.count() > 0
    due = [f for f in FollowUp.objects.select_related("owner") if f.is_due]
    assert due and all(f.owner and f.owner.is_staff_member for f in due)
