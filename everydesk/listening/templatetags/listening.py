from collections.abc import Iterable

from django import template

from everydesk.listening import display

register = template.Library()


@register.filter
def signal_labels(codes: Iterable[str]) -> tuple[str, ...]:
    """["threat_leave"] -> ("Threatens to leave",)"""
    return display.signal_labels(codes or ())
