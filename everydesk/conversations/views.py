"""Attachment downloads, shared by the desk and the portal."""

import logging
import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from everydesk.accounts.models import User
from everydesk.conversations import access

log = logging.getLogger(__name__)

# Types a browser may show inline without running anything. SVG is an image
# but can carry script, so it is served as plain bytes like everything else.
SAFE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


class SignedInRequest(HttpRequest):
    user: User  # type: ignore[assignment]  # narrowed by login_required


def _safe_filename(name: str) -> str:
    """The uploader's name without control characters (which would break the header)."""
    cleaned = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return cleaned.replace("/", "_").replace("\\", "_") or "attachment"


@require_GET
@login_required
def download_attachment(request: SignedInRequest, attachment_id: int) -> FileResponse:
    """Staff and the owning customer get the file; everyone else a 404.

    Always a download, never rendered: the sandbox CSP and nosniff stop an
    uploaded HTML or SVG file from running as our site if opened directly.
    """
    attachment = access.get_attachment_for(request.user, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        log.error("Attachment %s is missing from storage (%s)", attachment.pk, attachment.file)
        raise Http404("The file is missing from storage.") from None
    stored = attachment.content_type.lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_safe_filename(attachment.filename),
        content_type=stored if stored in SAFE_IMAGE_TYPES else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
