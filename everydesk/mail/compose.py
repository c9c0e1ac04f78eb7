"""Every outgoing email is a name and three templates: subject, text and HTML.

Templates live in templates/mail/<name>/{subject.txt,body.txt,body.html}. The
text templates turn autoescaping off themselves, so "Tom & Jerry" stays as typed.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def compose(
    name: str,
    *,
    to: str,
    context: Mapping[str, Any],
    from_email: str | None = None,
    reply_to: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> EmailMultiAlternatives:
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = render_to_string(f"mail/{name}/subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"mail/{name}/body.txt", context),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=list(reply_to),
        headers=dict(headers or {}),
    )
    message.attach_alternative(render_to_string(f"mail/{name}/body.html", context), "text/html")
    return message
