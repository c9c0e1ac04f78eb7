"""The signed-in customer's pages: their conversations, a new one, one thread."""

from django.conf import settings
from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from everydesk.conversations import access, actions
from everydesk.conversations.models import Channel, Conversation, Status
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import BadCursor, paginate
from everydesk.portal.decorators import PortalRequest, customer_required
from everydesk.portal.forms import NewConversationForm, ReplyForm
from everydesk.portal.thread import public_thread
from everydesk.portal.wording import KIND_CHOICES
from everydesk.surveys import rating

PAGE_SIZE = 20
MAX_MERGE_HOPS = 10


def attachment_limits() -> dict[str, int]:
    return {
        "count": settings.ATTACHMENTS_PER_MESSAGE,
        "megabytes": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


def show_action_error(form: Form, error: ActionError) -> None:
    """Put an action's refusal next to the field it is about, keeping what was typed."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@customer_required
@require_GET
def home(request: PortalRequest) -> HttpResponse:
    # Merged conversations are left out: their messages live in the one they joined.
    mine = access.visible_conversations(request.user).filter(merged_into__isnull=True)
    try:
        page = paginate(
            mine,
            fields=("updated_at", "id"),
            after=request.GET.get("after"),
            limit=PAGE_SIZE,
            descending=True,
        )
    except BadCursor:
        return redirect("portal:home")
    return render(
        request, "portal/home.html", {"page": page, "first_page": not request.GET.get("after")}
    )


@customer_required
@require_http_methods(["GET", "POST"])
def new(request: PortalRequest) -> HttpResponse:
    form = NewConversationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = actions.open_conversation(
                customer=request.customer,
                subject=data["subject"],
                body=data["message"],
                kind=data["kind"],
                channel=Channel.PORTAL,
                files=data["attachments"],
            )
        except ActionError as error:
            show_action_error(form, error)
        else:
            messages.success(
                request, "Thank you, we have your message. We will email you as soon as we answer."
            )
            return redirect("portal:conversation", conversation.pk)
    return render(
        request,
        "portal/new.html",
        {
            "form": form,
            "kinds": KIND_CHOICES,
            "limits": attachment_limits(),
        },
    )


def _current(request: PortalRequest, conversation: Conversation) -> Conversation:
    """Follow merges to the conversation that now holds the messages (404 if not visible)."""
    for _ in range(MAX_MERGE_HOPS):
        if not conversation.merged_into_id:
            break
        conversation = access.get_conversation_for(request.user, conversation.merged_into_id)
    return conversation


@customer_required
@require_http_methods(["GET", "POST"])
def conversation(request: PortalRequest, conversation_id: int) -> HttpResponse:
    found = access.get_conversation_for(request.user, conversation_id)
    current = _current(request, found)
    if current.pk != found.pk and request.method == "GET":
        return redirect("portal:conversation", current.pk)
    # A reply to a conversation merged meanwhile goes where its thread now lives.
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_customer_message(
                conversation=current,
                customer=request.customer,
                body=form.cleaned_data["message"],
                channel=Channel.PORTAL,
                files=form.cleaned_data["attachments"],
            )
        except ActionError as error:
            show_action_error(form, error)
        else:
            messages.success(request, "Your message is added. We will email you when we answer.")
            return redirect("portal:conversation", current.pk)
        current.refresh_from_db()
    return render(
        request,
        "portal/conversation.html",
        {
            "conversation": current,
            "thread": public_thread(request.user, current),
            "form": form,
            "closed": current.status == Status.CLOSED,
            "limits": attachment_limits(),
            **rating.context(current),
        },
    )
