"""Small display helpers for the desk: compact ages and capped counts."""

import datetime as dt

from django import template
from django.utils import timezone

from everydesk.conversations import queues

register = template.Library()

_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


@register.filter
def ago(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "3 h ago": short enough for a dense inbox row; past a month, the date."""
    if moment is None:
        return ""
    seconds = int(((now or timezone.now()) - moment).total_seconds())
    if seconds < _MINUTE:
        return "just now"
    if seconds < _HOUR:
        return f"{seconds // _MINUTE} min ago"
    if seconds < _DAY:
        return f"{seconds // _HOUR} h ago"
    if seconds < 30 * _DAY:
        return f"{seconds // _DAY} d ago"
    local = timezone.localtime(moment)
    return f"{local:%-d %b %Y}"


@register.filter
def count_label(count: int) -> str:
    """A queue count; `capped_count` returns COUNT_CAP + 1 for "more than"."""
    if count > queues.COUNT_CAP:
        return f"{queues.COUNT_CAP:,}+"
    return f"{count:,}"
