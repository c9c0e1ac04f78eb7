"""Proactive messages about an alert: who is affected, and sending each of them one.

Affected customers are those whose voices fell into the alert's topic (or the topic
it was merged into since) from the start of the alert until it resolved (or now). Each gets a
new conversation through the door they last used (email when they never wrote in)
whose first message is the manager's reply, mailed by the ordinary reply path.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from everydesk.conversations import actions as conversation_actions
from everydesk.conversations import events
from everydesk.conversations.models import Channel, Conversation, Kind
from everydesk.customers.models import Customer
from everydesk.lib.placeholders import fill
from everydesk.listening.models import Alert, Outreach, Topic, Voice

logger = logging.getLogger(__name__)
# A chain of merges longer than this is not followed (it would be a loop or a mistake).
MERGE_HOPS = 10


def _topic_ids(alert: Alert) -> list[int]:
    """The alert's topic and, if it was merged since, the topics its voices went to."""
    ids = [alert.topic_id]
    target = Topic.objects.filter(pk=alert.topic_id).values_list("merged_into_id", flat=True)
    nxt = target.first()
    while nxt is not None and nxt not in ids and len(ids) < MERGE_HOPS:
        ids.append(nxt)
        nxt = Topic.objects.filter(pk=nxt).values_list("merged_into_id", flat=True).first()
    return ids


def affected_voices(alert: Alert) -> QuerySet[Voice]:
    until = alert.resolved_at or timezone.now()
    return Voice.objects.filter(
        topic_id__in=_topic_ids(alert),
        created_at__gte=alert.window_start,
        created_at__lte=until,
    )


def affected_customers(alert: Alert) -> QuerySet[Customer]:
    ids = affected_voices(alert).exclude(customer=None).values("customer_id")
    return Customer.objects.filter(pk__in=ids).order_by("pk")


def not_yet_reached(alert: Alert) -> QuerySet[Customer]:
    return affected_customers(alert).exclude(
        pk__in=Outreach.objects.filter(alert=alert).values("customer_id")
    )


def _usual_channel(customer: Customer) -> str:
    latest = (
        Conversation.objects.filter(customer=customer)
        .order_by("-created_at", "-id")
        .values_list("channel", flat=True)
        .first()
    )
    return latest or Channel.EMAIL


def _values(customer: Customer, alert: Alert) -> dict[str, str]:
    author = alert.outreach_by
    return {
        "customer.first_name": customer.first_name,
        "customer.name": customer.name or customer.first_name,
        "customer.email": customer.email,
        "agent.first_name": (author.first_name or author.display_name) if author else "",
        "agent.name": author.display_name if author else "",
    }


def send_one(alert: Alert, customer: Customer) -> bool:
    """Reach one customer; False if this alert already reached them."""
    assert alert.outreach_by is not None
    values = _values(customer, alert)
    try:
        with transaction.atomic():
            # Claimed first: a second job for the same customer fails here and sends nothing.
            record = Outreach.objects.create(alert=alert, customer=customer)
            conversation = conversation_actions.start_outbound(
                customer=customer,
                author=alert.outreach_by,
                subject=fill(alert.outreach_subject, values),
                body=fill(alert.outreach_body, values),
                channel=_usual_channel(customer),
                kind=Kind.OTHER,
            )
            events.proactive(
                conversation, alert.outreach_by, alert=alert.pk, topic=alert.topic.name
            )
            record.conversation = conversation
            record.save(update_fields=["conversation"])
    except IntegrityError:
        return False
    return True


def send_all(alert_id: int) -> int:
    """Reach every affected customer not reached yet; returns how many this run reached."""
    alert = Alert.objects.select_related("outreach_by", "topic").filter(pk=alert_id).first()
    if alert is None or alert.outreach_by is None or not alert.outreach_body:
        return 0
    sent = 0
    for customer in not_yet_reached(alert).iterator(chunk_size=500):
        sent += send_one(alert, customer)
    Alert.objects.filter(pk=alert.pk).update(outreach_sent_at=timezone.now())
    logger.info("alert %s: proactive message sent to %s customers", alert.pk, sent)
    return sent
