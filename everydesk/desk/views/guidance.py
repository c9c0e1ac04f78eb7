"""Guidance beside a conversation for people who are not full-time agents, loaded after
the page like the similar conversations (the vector index may need a moment)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from everydesk.conversations import access
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.desk.forms import ReplyForm
from everydesk.frontline import guidance


@require_GET
@staff_required
def guidance_panel(request: DeskRequest, conversation_id: int) -> HttpResponse:
    conversation = access.get_conversation_for(request.user, conversation_id)
    context = {
        "conversation": conversation,
        "suggestions": guidance.suggested_replies(request.user, conversation),
        "macros": guidance.matching_macros(conversation),
        "first_time": guidance.first_time(request.user),
    }
    return render(request, "desk/_guidance.html", context)


@require_GET
@staff_required
def use_reply(request: DeskRequest, conversation_id: int) -> HttpResponse:
    """The reply box with a suggested reply added to what was typed; never sends."""
    conversation = access.get_conversation_for(request.user, conversation_id)
    raw = request.GET.get("reply", "")
    text = guidance.reply_text(request.user, conversation, int(raw)) if raw.isdigit() else None
    if text is None:
        raise Http404("No such suggestion.")
    typed = request.GET.get("body", "")
    body = f"{typed.rstrip()}\n\n{text}" if typed.strip() else text
    form = ReplyForm(initial={"body": body})
    return render(request, "desk/_reply_body.html", {"reply_form": form})
