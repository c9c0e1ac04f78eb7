"""The original email behind a message or a quarantine entry, as a download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from everydesk.accounts.models import Role
from everydesk.conversations import access
from everydesk.conversations.views import SignedInRequest
from everydesk.mail.models import InboundEmail


@require_GET
@login_required
def download_original(request: SignedInRequest, inbound_id: int) -> HttpResponse:
    """Admins get any stored email; other staff those of conversations they see."""
    user = request.user
    inbound = InboundEmail.objects.filter(pk=inbound_id).first()
    if inbound is None or not user.is_staff_member:
        raise Http404("No such email.")
    if user.role != Role.ADMIN and not user.is_superuser:
        if inbound.conversation_id is None:
            raise Http404("No such email.")
        access.get_conversation_for(user, inbound.conversation_id)
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="email-{inbound.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
