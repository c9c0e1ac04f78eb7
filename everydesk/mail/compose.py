"""Every outgoing email is a name and three templates: subject, text and HTML.

Templates live in templates/mail/<name>/{subject.txt,body.txt,body.html}.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def compose(name: str, *, to: str, context: dict[str, str]) -> EmailMultiAlternatives:
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = render_to_string(f"mail/{name}/subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"mail/{name}/body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"mail/{name}/body.html", context), "text/html")
    return message
