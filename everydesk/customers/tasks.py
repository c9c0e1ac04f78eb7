from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def apply_tier_rules() -> None:
    """Run the tier rules over every customer (after an admin changed the rules)."""
    from everydesk.customers import tiers

    tiers.apply_rules()


@db_periodic_task(crontab(hour="3", minute="20"))
def apply_tier_rules_nightly() -> None:
    """Imports apply the rules to the customers they touch; this catches the rest
    (orders written outside the import, rules changed while the worker was down)."""
    from everydesk.customers import tiers

    tiers.apply_rules()


@db_task()
def run_order_import(import_id: int) -> None:
    """Import a file uploaded in the desk; safe to run twice (a finished one is skipped)."""
    from everydesk.customers import uploads

    uploads.run(import_id)
