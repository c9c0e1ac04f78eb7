"""SolvedComplaint rows for complaints solved before recovery kept them (or loaded in
bulk, as the demo does): `everydesk recovery --backfill`. Safe to run again."""

from django.db.models import F

from everydesk.conversations.models import Conversation, Kind, Status
from everydesk.lib.batches import batched
from everydesk.recovery.models import SolvedComplaint

BATCH = 2000


def solved_complaints() -> int:
    """Add the missing rows; the ones the scheduling job wrote are left as they are."""
    rows = (
        Conversation.objects.filter(
            kind=Kind.COMPLAINT,
            status__in=[Status.SOLVED, Status.CLOSED],
            solved_at__isnull=False,
            merged_into__isnull=True,
        )
        .values_list("pk", "customer_id", "team_id", F("customer__tier_id"), "solved_at")
        .order_by("pk")
    )
    before = SolvedComplaint.objects.count()
    for batch in batched(rows.iterator(chunk_size=BATCH), BATCH):
        SolvedComplaint.objects.bulk_create(
            [
                SolvedComplaint(
                    conversation_id=pk,
                    customer_id=customer,
                    team_id=team,
                    tier_id=tier,
                    solved_at=solved,
                )
                for pk, customer, team, tier, solved in batch
            ],
            ignore_conflicts=True,
        )
    return SolvedComplaint.objects.count() - before
