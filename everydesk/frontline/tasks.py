"""Front-line jobs: building rotations, telling people, returning unanswered takes."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from everydesk.accounts.models import User
from everydesk.frontline import rotation, routing
from everydesk.frontline.models import RotationRule
from everydesk.frontline.rules import Quarter
from everydesk.notifications.actions import notify


@db_task()
def build_rotation(rule_id: int, quarter: str, seed: int = 0) -> None:
    """Safe to run twice: a rebuild keeps every shift and fills only the gaps."""
    rule = RotationRule.objects.filter(pk=rule_id).first()
    if rule is not None:
        rotation.build(rule=rule, quarter=Quarter.parse(quarter), seed=seed)


@db_task()
def tell_planned(user_ids: list[int], quarter: str) -> None:
    """Each person with new shifts hears of them once under the bell."""
    notify(
        users=User.objects.filter(pk__in=user_ids).only("pk", "is_active"),
        kind="shifts_planned",
        title=f"Your front-line shifts for {quarter} are planned",
        url="/desk/shifts/",
    )


@db_periodic_task(crontab(minute="*"))
def return_unanswered_takes() -> None:
    """Every minute: what ended shifts left unanswered goes back to the pool (idempotent)."""
    routing.return_unanswered()
