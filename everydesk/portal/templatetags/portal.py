"""Customer-facing names for statuses and kinds, for portal templates."""

from django import template

from everydesk.portal.wording import KIND_WORDS, STATUS_WORDS

register = template.Library()


@register.filter
def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


@register.filter
def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, "Other")
