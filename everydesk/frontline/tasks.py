from huey.contrib.djhuey import db_task

from everydesk.frontline import rotation
from everydesk.frontline.models import RotationRule
from everydesk.frontline.rules import Quarter


@db_task()
def build_rotation(rule_id: int, quarter: str, seed: int = 0) -> None:
    """Safe to run twice: a rebuild keeps every shift and fills only the gaps."""
    rule = RotationRule.objects.filter(pk=rule_id).first()
    if rule is not None:
        rotation.build(rule=rule, quarter=Quarter.parse(quarter), seed=seed)
