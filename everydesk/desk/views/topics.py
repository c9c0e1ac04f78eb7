"""Topics for the people who see the figures: the list, one topic, and editing it.

Every form posts to its own URL and redirects back on success; a refusal re-renders
the topic page with the message and what was typed (status 400).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from everydesk.conversations import access as conversation_access
from everydesk.desk.decorators import DeskRequest, insights_required
from everydesk.lib.errors import ActionError
from everydesk.listening import actions, figures
from everydesk.listening.access import get_topic_for, visible_topics
from everydesk.listening.models import Topic

EXAMPLES = 30
HISTORY = 20


@require_GET
@insights_required
def topic_list(request: DeskRequest) -> HttpResponse:
    show_merged = request.GET.get("merged") == "1"
    topics = visible_topics(request.user).select_related("merged_into")
    if not show_merged:
        topics = topics.filter(merged_into=None)
    rows = list(topics.order_by("-voice_count", "pk"))
    trend = figures.trends([t.pk for t in rows])
    context = {
        "rows": [(t, trend.get(t.pk, figures.Trend())) for t in rows],
        "show_merged": show_merged,
        "waiting": figures.waiting_voices(),
    }
    return render(request, "desk/topics.html", context)


def _examples(request: DeskRequest, topic: Topic) -> list[dict[str, Any]]:
    voices = list(topic.voices.select_related("customer").order_by("-created_at", "-pk")[:EXAMPLES])
    visible = set(
        conversation_access.visible_conversations(request.user)
        .filter(pk__in=[v.conversation_id for v in voices if v.conversation_id])
        .values_list("pk", flat=True)
    )
    return [{"voice": v, "linked": v.conversation_id in visible} for v in voices]


def _page(
    request: DeskRequest, topic: Topic, *, error: str = "", form: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "topic": topic,
        "trend": figures.trends([topic.pk]).get(topic.pk, figures.Trend()),
        "charts": figures.topic_charts(topic),
        "examples": _examples(request, topic),
        "others": visible_topics(request.user)
        .filter(merged_into=None)
        .exclude(pk=topic.pk)
        .order_by("name"),
        "changes": topic.changes.select_related("actor").order_by("-at", "-pk")[:HISTORY],
        "alerts": topic.alerts.order_by("-detected_at")[:5],
        "error": error,
        "error_form": form,
        "posted": request.POST if error else {},
    }
    return render(request, "desk/topic.html", context, status=status)


@require_GET
@insights_required
def topic_page(request: DeskRequest, topic_id: int) -> HttpResponse:
    return _page(request, get_topic_for(request.user, topic_id))


def _edit(request: DeskRequest, topic_id: int, form: str, change: Any, done: str) -> HttpResponse:
    topic = get_topic_for(request.user, topic_id)
    try:
        result = change(topic)
    except ActionError as refused:
        return _page(request, topic, error=refused.message, form=form, status=400)
    messages.success(request, done)
    target = result.pk if isinstance(result, Topic) else topic.pk
    return redirect("desk:topic", target)


@require_POST
@insights_required
def rename(request: DeskRequest, topic_id: int) -> HttpResponse:
    name = request.POST.get("name", "")
    return _edit(
        request,
        topic_id,
        "rename",
        lambda t: actions.rename_topic(topic=t, actor=request.user, name=name),
        "Topic renamed.",
    )


@require_POST
@insights_required
def pin(request: DeskRequest, topic_id: int) -> HttpResponse:
    pinned = request.POST.get("pinned") == "1"
    return _edit(
        request,
        topic_id,
        "pin",
        lambda t: actions.set_pinned(topic=t, actor=request.user, pinned=pinned),
        "Topic pinned: regrouping will not merge or split it." if pinned else "Topic unpinned.",
    )


def _target(request: DeskRequest) -> Topic:
    raw = request.POST.get("target", "")
    if not raw.isdigit():
        raise ActionError("Choose the topic to merge into.", field="target")
    target = visible_topics(request.user).filter(pk=int(raw)).first()
    if target is None:
        raise ActionError("That topic does not exist.", field="target")
    return target


@require_POST
@insights_required
def merge(request: DeskRequest, topic_id: int) -> HttpResponse:
    return _edit(
        request,
        topic_id,
        "merge",
        lambda t: actions.merge_topics(source=t, target=_target(request), actor=request.user),
        "Topics merged.",
    )


def _parts(request: DeskRequest) -> int:
    raw = request.POST.get("parts", "2")
    if not raw.isdigit():
        raise ActionError("Enter a number of parts.", field="parts")
    return int(raw)


@require_POST
@insights_required
def split(request: DeskRequest, topic_id: int) -> HttpResponse:
    def run(topic: Topic) -> Topic:
        parts = actions.split_topic(topic=topic, actor=request.user, parts=_parts(request))
        return parts[0]

    return _edit(request, topic_id, "split", run, "Topic split; the new topics are listed below.")


@require_POST
@insights_required
def move(request: DeskRequest, topic_id: int) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("voices") if v.isdigit()]
    name = request.POST.get("name", "")
    return _edit(
        request,
        topic_id,
        "move",
        lambda t: actions.move_voices_to_new_topic(
            topic=t, voice_ids=ids, actor=request.user, name=name
        ),
        "Voices moved to a new topic.",
    )
