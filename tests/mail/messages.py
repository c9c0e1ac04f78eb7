"""Build raw emails for tests, the way a customer's mail program would send them."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone


def email_bytes(
    *,
    sender: str = "Carol Jones <carol@example.com>",
    to: str = "support@acme.test",
    subject: str = "My order never arrived",
    body: str = "Hello, order 1042 never arrived. Can you help?",
    message_id: str | None = "",
    in_reply_to: str = "",
    references: str = "",
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    """message_id="" makes a fresh one; None leaves the header out."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id or make_msgid(domain="mail.example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def message_id_of(raw: bytes) -> str:
    from email import message_from_bytes

    return str(message_from_bytes(raw)["Message-ID"])
