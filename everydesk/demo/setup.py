"""The demo set: known staff logins, teams, macros, a portal customer, and generated traffic.

Everything here is for trying everydesk out on one machine. The passwords are
printed on purpose, so never load the demo set into a real installation.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import Role, Team, User
from everydesk.conversations.actions import MACRO_PLACEHOLDERS
from everydesk.conversations.models import Conversation, Macro, Status, Tag
from everydesk.customers.actions import create_customer, normalise_email
from everydesk.customers.models import Customer, Tier
from everydesk.demo import generate, orders, recovery, surveys
from everydesk.frontline import rotation
from everydesk.frontline.models import RotationRule, Shift
from everydesk.frontline.rules import Quarter
from everydesk.lib.placeholders import unknown_placeholders
from everydesk.mail.models import Mailbox
from everydesk.playbook.builtins import install_builtins
from everydesk.playbook.models import ActionPolicy, Period
from everydesk.sla import clocks
from everydesk.sla.models import BusinessCalendar, SlaPolicy

DEMO_PASSWORD = "everydesk-demo"  # noqa: S105 (printed to whoever runs the demo)
PORTAL_CUSTOMER = ("carol@demo.test", "Carol Jones")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    role: Role
    teams: tuple[str, ...] = ()


STAFF = (
    DemoPerson("admin@demo.test", "Ada", "Admin", Role.ADMIN),
    DemoPerson("alex@demo.test", "Alex", "Morgan", Role.AGENT, ("Shipping",)),
    DemoPerson("sam@demo.test", "Sam", "Okafor", Role.AGENT, ("Billing",)),
    DemoPerson("priya@demo.test", "Priya", "Shah", Role.AGENT, ("Product",)),
    DemoPerson("jordan@demo.test", "Jordan", "Lee", Role.EMPLOYEE, ("Billing",)),
    DemoPerson("taylor@demo.test", "Taylor", "Brooks", Role.EMPLOYEE, ("Product",)),
)

# (name, body, status the macro sets, tags it adds)
MACROS = (
    (
        "Refund issued",
        "Hi {customer.first_name},\n\nI have issued a full refund for your order. It reaches "
        "your account within five working days, depending on your bank.\n\nIf anything else "
        "comes up, just reply here and quote #{conversation.id}.\n\nBest,\n{agent.first_name}",
        Status.SOLVED,
        ("refund",),
    ),
    (
        "Thanks for the praise",
        "Hi {customer.first_name},\n\nThank you so much for your kind words! I have shared "
        "them with the whole team; messages like yours make our week.\n\nWarm wishes,\n"
        "{agent.first_name}",
        Status.SOLVED,
        ("praise",),
    ),
    (
        "Need more details",
        "Hi {customer.first_name},\n\nThanks for getting in touch. To sort this out quickly, "
        "could you send me your order number and, if something is damaged, a photo?\n\n"
        "Best,\n{agent.first_name}",
        Status.PENDING,
        (),
    ),
    (
        "Delivery delay apology",
        "Hi {customer.first_name},\n\nI am sorry your parcel is late. I have asked the courier "
        "for a trace and will update you within one working day.\n\nThanks for your "
        "patience,\n{agent.first_name}",
        Status.PENDING,
        ("late-delivery",),
    ),
)


@dataclass(frozen=True)
class DemoSet:
    staff: tuple[DemoPerson, ...]
    password: str
    portal_email: str
    summary: generate.Summary | None  # None when the data was there already


def load_demo(
    *, customers: int = 400, conversations: int = 3000, seed: int = 1, progress: bool = True
) -> DemoSet:
    """Load the demo set into a database without conversations; otherwise add nothing."""
    summary = None
    if not Conversation.objects.exists():
        with transaction.atomic():
            create_staff()
            create_macros()
            create_playbook()
            create_mailboxes()
            put_on_shift()
            portal_customer = create_portal_customer()
            create_rotation()
            create_service_levels()
        summary = generate.generate(
            conversations=conversations,
            customers=customers,
            seed=seed,
            include_customers=[portal_customer.pk],
            progress=progress,
        )
        # Generated rows go in by bulk SQL, past the actions: their clocks start here.
        clocks.backfill()
        surveys.answer_some(seed=seed, skip_customers=(portal_customer.pk,))
        orders.create_orders(seed=seed, portal_email=portal_customer.email)
        recovery.create_follow_ups()
    return DemoSet(STAFF, DEMO_PASSWORD, PORTAL_CUSTOMER[0], summary)


def create_staff() -> None:
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in generate.TEAMS}
    for person in STAFF:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User.objects.create_user(
                username=person.email,
                email=person.email,
                password=DEMO_PASSWORD,
                first_name=person.first_name,
                last_name=person.last_name,
                role=person.role,
            )
        if person.role == Role.ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True  # the admin may use /admin/ too
            user.save(update_fields=["is_staff", "is_superuser"])
        user.teams.add(*(teams[name] for name in person.teams))
    _report_to_the_admin()


def _report_to_the_admin() -> None:
    """Everyone reports to the demo admin, in their first team's department, so praise
    reaches a manager and the praise wall can be filtered by department."""
    boss = User.objects.get(email__iexact=STAFF[0].email)
    for person in STAFF[1:]:
        User.objects.filter(email__iexact=person.email, manager=None).update(
            manager=boss, department=person.teams[0] if person.teams else ""
        )


def create_rotation() -> None:
    """Everyone serves 4 hours a quarter: this quarter's rest and the next are planned."""
    rule, _ = RotationRule.objects.get_or_create(
        name="Everyone serves", defaults={"time_zone": settings.TIME_ZONE}
    )
    this = Quarter.of(timezone.localdate())
    for quarter in (this, this.next):
        rotation.build(rule=rule, quarter=quarter)


def create_playbook() -> None:
    """The built-in action types, with limits like a real company's: agents refund up to
    50 at a time and 300 a month, employees on shift 20 and 60, managers and admins 500."""
    for action_type in install_builtins():
        if action_type.policies.exists():
            continue
        ActionPolicy.objects.create(
            action_type=action_type,
            roles=[Role.AGENT],
            limit_per_action=Decimal("50"),
            limit_per_period=Decimal("300") if action_type.has_amount else Decimal("20"),
        )
        ActionPolicy.objects.create(
            action_type=action_type,
            roles=[Role.EMPLOYEE],
            limit_per_action=Decimal("20"),
            limit_per_period=Decimal("60") if action_type.has_amount else Decimal("5"),
            period=Period.MONTH,
        )
        ActionPolicy.objects.create(
            action_type=action_type,
            roles=[Role.MANAGER, Role.ADMIN],
            limit_per_action=Decimal("500"),
        )


def put_on_shift() -> None:
    """Jordan (an employee) is on a front-line shift now, with Ada as mentor, so
    /desk/shift/ and mentor review can be tried at once (docs/shift-inbox.md)."""
    jordan = User.objects.get(email="jordan@demo.test")
    jordan.manager = User.objects.get(email="admin@demo.test")
    jordan.save(update_fields=["manager"])
    now = timezone.now()
    if not Shift.objects.filter(user=jordan, ends_at__gt=now).exists():
        Shift.objects.create(
            user=jordan, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7)
        )


def create_mailboxes() -> None:
    """The default sender address as the main mailbox, and a billing one for its team."""
    local, _, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].partition("@")
    for name, address, team in [
        ("Support", f"{local}@{domain}", None),
        ("Billing", f"billing@{domain}", "Billing"),
    ]:
        Mailbox.objects.get_or_create(
            address=address.lower(),
            defaults={"name": name, "team": Team.objects.filter(name=team).first()},
        )


def create_macros() -> None:
    for name, body, status, tags in MACROS:
        unknown = unknown_placeholders(body, set(MACRO_PLACEHOLDERS))
        if unknown:
            raise ValueError(f"Macro {name!r} uses unknown placeholders {unknown}")
        macro, created = Macro.objects.get_or_create(
            name=name, defaults={"body": body, "set_status": status}
        )
        if created:
            macro.add_tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])


def create_service_levels() -> None:
    """Office hours, a default policy and a faster one for VIPs, whose tier gets a boost."""
    weekdays = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    office, _ = BusinessCalendar.objects.get_or_create(
        name="Office hours", defaults={"time_zone": "Europe/London", "weekly_hours": weekdays}
    )
    vip, _ = Tier.objects.get_or_create(slug="vip", defaults={"name": "VIP", "rank": 10})
    Tier.objects.filter(pk=vip.pk).update(priority_boost=20)
    SlaPolicy.objects.get_or_create(
        name="Standard",
        defaults={
            "calendar": office,
            "first_response_minutes": 4 * 60,
            "next_response_minutes": 8 * 60,
            "resolution_minutes": 3 * 8 * 60,
        },
    )
    SlaPolicy.objects.get_or_create(
        name="VIP",
        defaults={
            "tier": vip,
            "first_response_minutes": 60,
            "next_response_minutes": 2 * 60,
            "resolution_minutes": 24 * 60,
        },
    )


def create_portal_customer() -> Customer:
    """A VIP customer with a memorable address, for signing in to the portal."""
    email, name = PORTAL_CUSTOMER
    existing = Customer.objects.filter(email=normalise_email(email)).first()
    if existing:
        return existing
    vip, _ = Tier.objects.get_or_create(slug="vip", defaults={"name": "VIP", "rank": 10})
    return create_customer(email=email, name=name, tier=vip)
