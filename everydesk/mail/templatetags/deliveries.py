"""{% load deliveries %}: a delivery's state for templates."""

from django import template

from everydesk.mail.delivery_status import Status, status
from everydesk.mail.models import Delivery

register = template.Library()


@register.filter
def delivery_status(delivery: Delivery) -> Status:
    return status(delivery)
