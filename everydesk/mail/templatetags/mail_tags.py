"""{% load mail_tags %}: email bodies with the quoted history and signature folded away."""

import functools
from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString, mark_safe

from everydesk.conversations.models import Message
from everydesk.mail.quotes import split_html_reply, split_reply

register = template.Library()


@dataclass(frozen=True)
class FoldedBody:
    new: str  # SafeString when html, else plain text for the linebreaks filter
    quoted: str  # "" when nothing was folded
    html: bool
    # Set when the HTML could not be folded but its text could: the text is shown folded and
    # the HTML as sent stays one click away.
    original_html: SafeString | None = None


@register.simple_tag
def fold_body(message: Message) -> FoldedBody:
    """The message body split into new text and folded history, HTML kept where it folds."""
    return _fold(message.body_text, message.body_html)


# Folding HTML costs a few milliseconds per message; threads are viewed again and again.
@functools.lru_cache(maxsize=256)
def _fold(body_text: str, body_html: str) -> FoldedBody:
    if body_html:
        # body_html was sanitised when stored; split_html_reply re-sanitises both halves.
        new_html, quoted_html = split_html_reply(body_html)
        if quoted_html:
            return FoldedBody(mark_safe(new_html), mark_safe(quoted_html), html=True)  # noqa: S308
        new, quoted = split_reply(body_text)
        if quoted:
            original = mark_safe(body_html)  # noqa: S308
            return FoldedBody(new.rstrip(), quoted.strip("\r\n"), False, original)
        return FoldedBody(mark_safe(body_html), "", html=True)  # noqa: S308
    new, quoted = split_reply(body_text)
    return FoldedBody(new.rstrip(), quoted.strip("\r\n"), html=False)
