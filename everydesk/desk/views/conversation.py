"""One conversation: the thread, the customer beside it, and the forms that work it.

Every form posts to its own URL and works with or without HTMX. Without it, a
success redirects back to the page (so a reload cannot send twice) and a
failure re-renders the page with the message and what the agent typed. With
HTMX, both return the conversation block, which replaces itself in place.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from everydesk.accounts.models import User
from everydesk.conversations import access, actions
from everydesk.conversations.models import Conversation, Macro
from everydesk.desk import timeline
from everydesk.desk.decorators import DeskRequest, staff_required
from everydesk.desk.forms import MergeForm, NoteForm, PropertiesForm, ReplyForm
from everydesk.frontline import guidance, shift_inbox
from everydesk.frontline import review as reviews
from everydesk.frontline.models import ReplyReview
from everydesk.lib.errors import ActionError
from everydesk.listening import display

OTHER_CONVERSATIONS = 10


# --- reading -------------------------------------------------------------------


def _workable(request: DeskRequest, conversation_id: int) -> Conversation:
    """The conversation, if this user may change it; 404 otherwise, like anything unseen."""
    conversation = access.get_conversation_for(request.user, conversation_id)
    if not access.can_work(request.user, conversation):
        raise Http404("No such conversation.")
    return conversation


def _reply_form(conversation: Conversation, data: Any = None, initial: Any = None) -> ReplyForm:
    form = ReplyForm(data, initial=initial)
    # Picking a macro swaps in the rendered text through HTMX (see macro_text).
    form.fields["macro"].widget.attrs.update(
        {
            "hx-get": reverse("desk:macro_text", args=[conversation.pk]),
            "hx-target": "#reply-body",
            "hx-swap": "outerHTML",
            "hx-include": "#reply-body",
            # The form's own hx-disabled-elt would be inherited and find nothing here.
            "hx-disabled-elt": "this",
        }
    )
    return form


def _other_conversations(user: User, conversation: Conversation) -> list[Conversation]:
    others = (
        access.visible_conversations(user)
        .filter(customer_id=conversation.customer_id)
        .exclude(pk=conversation.pk)
        .order_by("-updated_at", "-id")
    )
    return list(others[:OTHER_CONVERSATIONS])


def _context(
    request: DeskRequest, conversation: Conversation, forms: dict[str, Any], notice: str
) -> dict[str, Any]:
    from everydesk.listening import similar  # numpy, for conversation pages only

    user = request.user
    review = reviews.latest_for(user, conversation) if shift_inbox.may_use(user) else None
    # Read once for the header and the properties form.
    prefetch_related_objects([conversation], "tags")
    return {
        "conversation": conversation,
        "tags": list(conversation.tags.all()),
        "thread": timeline.thread(user, conversation),
        "can_work": access.can_work(user, conversation),
        "other_conversations": _other_conversations(user, conversation),
        "mood": display.moods([conversation.pk]).get(conversation.pk),
        "urgent_at": settings.LISTENING_URGENT_AT,
        "duplicates": similar.possible_duplicates(user, conversation),
        "reply_form": forms.get("reply") or _reply_form(conversation, initial=_draft(review)),
        # Front line (docs/shift-inbox.md): no query for agents.
        "guidance": guidance.wanted(user),
        "asks_mentor": shift_inbox.may_use(user),
        "review": review,
        "note_form": forms.get("note") or NoteForm(),
        "properties_form": forms.get("properties") or PropertiesForm.for_conversation(conversation),
        "merge_form": forms.get("merge") or MergeForm(),
        "has_macros": Macro.objects.exists(),
        "notice": notice,
    }


def _draft(review: ReplyReview | None) -> dict[str, str] | None:
    """A draft a mentor sent back goes back into the reply box, to edit."""
    body = reviews.draft_to_edit(review) if review else None
    return {"body": body} if body else None


def _render(
    request: DeskRequest,
    conversation: Conversation,
    *,
    status: int = 200,
    notice: str = "",
    **forms: Any,
) -> HttpResponse:
    context = _context(request, conversation, forms, notice)
    partial = request.htmx and not request.htmx.boosted
    template = "desk/_conversation.html" if partial else "desk/conversation.html"
    return render(request, template, context, status=status)


@require_GET
@staff_required
def conversation(request: DeskRequest, conversation_id: int) -> HttpResponse:
    conversation = access.get_conversation_for(request.user, conversation_id)
    return _render(request, conversation)


def _body_with_macro(request: DeskRequest, conversation: Conversation) -> str:
    """What the agent typed, with the chosen macro's text added after it."""
    body = request.GET.get("body", "")
    macro_id = request.GET.get("macro", "")
    macro = Macro.objects.filter(pk=int(macro_id)).first() if macro_id.isdigit() else None
    if macro is None:
        return body
    text = actions.render_macro(conversation=conversation, agent=request.user, macro=macro)
    return f"{body.rstrip()}\n\n{text}" if body.strip() else text


@require_GET
@staff_required
def macro_text(request: DeskRequest, conversation_id: int) -> HttpResponse:
    """The reply box with a macro filled in, for the agent to edit before sending."""
    conversation = _workable(request, conversation_id)
    form = _reply_form(conversation, initial={"body": _body_with_macro(request, conversation)})
    return render(request, "desk/_reply_body.html", {"reply_form": form})


# --- writing -------------------------------------------------------------------


def _done(request: DeskRequest, conversation: Conversation, notice: str) -> HttpResponse:
    """After a change: back to the page, or the fresh block for HTMX."""
    fresh = access.visible_conversations(request.user).filter(pk=conversation.pk).first()
    if fresh is None:
        # The change took it out of this person's sight (say, moved to another team).
        messages.success(request, f"{notice} You no longer have access to #{conversation.pk}.")
        return _leave(request, reverse("desk:inbox"))
    if request.htmx:
        fresh = access.get_conversation_for(request.user, conversation.pk)
        return _render(request, fresh, notice=notice)
    messages.success(request, notice)
    return redirect("desk:conversation", conversation_id=conversation.pk)


def _leave(request: DeskRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _failed(request: DeskRequest, conversation: Conversation, **forms: Any) -> HttpResponse:
    # HTMX leaves 4xx responses unswapped by default, so it gets the errors with a 200.
    status = 200 if request.htmx else 400
    return _render(request, conversation, status=status, **forms)


def _refuse(form: Any, error: ActionError, files: Sequence[UploadedFile] = ()) -> None:
    field = error.field if error.field in form.fields else None
    message = error.message
    if files:
        message += " Please attach your files again."
    form.add_error(field, message)


Attempt = Callable[[], str]


def _attempt(
    request: DeskRequest,
    conversation: Conversation,
    name: str,
    form: Any,
    work: Attempt,
    files: Sequence[UploadedFile] = (),
) -> HttpResponse:
    """Run `work` in one transaction; on ActionError nothing is kept and the form says why."""
    if not form.is_valid():
        return _failed(request, conversation, **{name: form})
    try:
        with transaction.atomic():
            notice = work()
    except ActionError as error:
        _refuse(form, error, files)
        return _failed(request, conversation, **{name: form})
    return _done(request, conversation, notice)


@require_POST
@staff_required
def reply(request: DeskRequest, conversation_id: int) -> HttpResponse:
    conversation = _workable(request, conversation_id)
    form = _reply_form(conversation, request.POST)
    files = request.FILES.getlist("attachments")

    def work() -> str:
        data, user = form.cleaned_data, request.user
        status = data["status"] or None
        if request.POST.get("intent") == "review":
            return _ask_mentor(conversation, user, data["body"], files)
        if data["macro"] is None:
            actions.add_reply(
                conversation=conversation,
                author=user,
                body=data["body"],
                files=files,
                status=status,
            )
            return "Reply sent."
        actions.apply_macro(
            conversation=conversation,
            actor=user,
            macro=data["macro"],
            body=data["body"],
            files=files,
        )
        if status:
            # The agent's explicit choice wins over the macro's status.
            actions.change_status(conversation=conversation, actor=user, status=status)
        return f"Reply sent with the macro “{data['macro']}”."

    return _attempt(request, conversation, "reply", form, work, files)


def _ask_mentor(
    conversation: Conversation, user: User, body: str, files: Sequence[UploadedFile]
) -> str:
    """Hold the draft for a mentor instead of sending it (frontline/review.py)."""
    if files:
        raise ActionError(
            "A reply for review cannot carry attachments yet; send them once it is approved.",
            field="attachments",
        )
    if not shift_inbox.may_use(user):
        raise ActionError("Agents send their replies themselves.")
    held = reviews.request_review(conversation=conversation, author=user, body=body)
    mentor = held.mentor.display_name if held.mentor else "an agent"
    return f"Your reply waits for {mentor} to review it. Nothing was sent to the customer."


@require_POST
@staff_required
def note(request: DeskRequest, conversation_id: int) -> HttpResponse:
    conversation = _workable(request, conversation_id)
    form = NoteForm(request.POST)
    files = request.FILES.getlist("attachments")

    def work() -> str:
        actions.add_note(
            conversation=conversation,
            author=request.user,
            body=form.cleaned_data["body"],
            files=files,
        )
        return "Internal note added."

    return _attempt(request, conversation, "note", form, work, files)


def _property_writers(
    conversation: Conversation, user: User, form: PropertiesForm
) -> dict[str, Callable[[], object]]:
    data = form.cleaned_data
    return {
        "status": lambda: actions.change_status(
            conversation=conversation, actor=user, status=data["status"]
        ),
        "priority": lambda: actions.change_priority(
            conversation=conversation, actor=user, priority=data["priority"]
        ),
        "kind": lambda: actions.change_kind(
            conversation=conversation, actor=user, kind=data["kind"]
        ),
        "assignee": lambda: actions.assign(
            conversation=conversation, actor=user, assignee=data["assignee"]
        ),
        "team": lambda: actions.set_team(conversation=conversation, actor=user, team=data["team"]),
        "tags": lambda: actions.set_tags(
            conversation=conversation, actor=user, names=form.tag_names()
        ),
    }


@require_POST
@staff_required
def properties(request: DeskRequest, conversation_id: int) -> HttpResponse:
    conversation = _workable(request, conversation_id)
    form = PropertiesForm.for_conversation(conversation, request.POST)

    def work() -> str:
        # Only what this agent changed on the form; the actions skip anything equal.
        writers = _property_writers(conversation, request.user, form)
        changed = [name for name in form.changed_data if name in writers]
        for name in changed:
            writers[name]()
        return "Changes saved." if changed else "Nothing to change."

    return _attempt(request, conversation, "properties", form, work)


@require_POST
@staff_required
def merge(request: DeskRequest, conversation_id: int) -> HttpResponse:
    source = _workable(request, conversation_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _failed(request, source, merge=form)
    target_id = form.cleaned_data["target"]
    target = access.visible_conversations(request.user).filter(pk=target_id).first()
    if target is None or not access.can_work(request.user, target):
        form.add_error("target", f"There is no conversation #{target_id} that you can work on.")
        return _failed(request, source, merge=form)
    try:
        actions.merge(source=source, target=target, actor=request.user)
    except ActionError as error:
        _refuse(form, error)
        return _failed(request, source, merge=form)
    messages.success(request, f"Merged #{source.pk} into #{target.pk}.")
    return _leave(request, reverse("desk:conversation", args=[target.pk]))
