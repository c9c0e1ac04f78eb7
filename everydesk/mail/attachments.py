"""Attachments of incoming mail: which ones are stored, and inline images by Content-ID."""

import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.conversations.models import Message
from everydesk.mail.parsed import ParsedEmail

_CID_SRC = re.compile(r'src="cid:([^"]+)"', re.IGNORECASE)


def uploads(parsed: ParsedEmail) -> tuple[list[SimpleUploadedFile], str]:
    """The parts within the attachment limits, and a line naming any left out.

    Parts left out are not lost: the original email is stored whole and can be
    downloaded from the message.
    """
    files: list[SimpleUploadedFile] = []
    left_out: list[str] = []
    for part in parsed.attachments:
        too_big = len(part.data) > settings.ATTACHMENT_MAX_BYTES
        if too_big or len(files) >= settings.ATTACHMENTS_PER_MESSAGE:
            left_out.append(part.filename or "attachment")
            continue
        upload = SimpleUploadedFile(part.filename or "attachment", part.data, part.content_type)
        upload.content_id = part.content_id  # type: ignore[attr-defined]  # read back below
        files.append(upload)
    note = ""
    if left_out:
        note = (
            f"[{len(left_out)} attachment(s) not stored because of the size or count limit: "
            f"{', '.join(left_out[:10])}. They are in the original email.]"
        )
    return files, note


def link_inline_images(message: Message) -> None:
    """Point <img src="cid:..."> at the stored attachment with that Content-ID."""
    if "cid:" not in message.body_html:
        return
    by_cid = {
        cid: reverse("attachment", args=[pk])
        for pk, cid in message.attachments.exclude(content_id="").values_list("pk", "content_id")
    }
    html = _CID_SRC.sub(
        lambda m: f'src="{by_cid[m.group(1)]}"' if m.group(1) in by_cid else 'src=""',
        message.body_html,
    )
    if html != message.body_html:
        message.body_html = html
        message.save(update_fields=["body_html"])
