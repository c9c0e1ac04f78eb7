"""Hand-made rows for the loyalty figures: surveys, orders, solved complaints, SLA clocks.

Rows are written directly (the surveys, orders and SLA clocks are built by other
capabilities); the conversations they hang off are opened through the real action.
"""

from datetime import UTC, date, datetime

from everydesk.accounts.models import Team
from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.customers.models import Customer, Order, Tier
from everydesk.insights.figures import Period
from everydesk.recovery.models import SolvedComplaint
from everydesk.sla.models import ConversationSla
from everydesk.surveys.models import Survey, SurveyKind

MAY = Period(date(2026, 5, 1), date(2026, 5, 31))  # its previous period is April 1-30


def at(day: int, month: int = 5, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def person(name: str, tier: Tier | None = None, orders: int = 0) -> Customer:
    slug = name.lower().replace(" ", ".")
    return Customer.objects.create(
        name=name, email=f"{slug}@example.com", tier=tier, order_count=orders
    )


def survey(
    customer: Customer,
    kind: str,
    score: int | None,
    answered: datetime | None,
    *,
    team: Team | None = None,
    tier: Tier | None = None,
) -> Survey:
    return Survey.objects.create(
        kind=kind,
        customer=customer,
        score=score,
        answered_at=answered,
        sent_at=answered or at(1),
        team=team,
        tier=tier,
    )


def csat(customer: Customer, score: int, answered: datetime, **kw: object) -> Survey:
    return survey(customer, SurveyKind.CSAT, score, answered, **kw)  # type: ignore[arg-type]


def nps(customer: Customer, score: int, answered: datetime, **kw: object) -> Survey:
    return survey(customer, SurveyKind.NPS, score, answered, **kw)  # type: ignore[arg-type]


def order(customer: Customer, placed: datetime) -> Order:
    return Order.objects.create(
        number=f"{customer.pk}-{placed:%Y%m%d%H%M%S}", customer=customer, placed_at=placed
    )


def opened(
    customer: Customer, when: datetime, kind: str = Kind.COMPLAINT, **fields
) -> Conversation:
    conversation = actions.open_conversation(
        customer=customer, subject="Broken", body="It broke.", kind=kind
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=when, updated_at=when, last_customer_message_at=when, **fields
    )
    return Conversation.objects.get(pk=conversation.pk)


def complaint(
    customer: Customer, solved: datetime, *, team: Team | None = None, tier: Tier | None = None
) -> SolvedComplaint:
    conversation = opened(customer, solved, team=team)
    return SolvedComplaint.objects.create(
        conversation=conversation,
        customer=customer,
        team_id=team.pk if team else None,
        tier_id=tier.pk if tier else None,
        solved_at=solved,
    )


def clock(conversation: Conversation, first: bool | None, resolution: bool | None, **kw):
    # Opening the conversation started its clock already; the test decides its outcome.
    made, _ = ConversationSla.objects.update_or_create(
        conversation=conversation,
        defaults={"first_response_met": first, "resolution_met": resolution, **kw},
    )
    return made
