"""Topics for the people who see the figures (admins and managers); 404 for anyone else."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router

from everydesk.accounts.models import User
from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.topics import TopicListQuery, TopicOut, TopicPage, TopicPatch
from everydesk.lib.keyset import paginate
from everydesk.listening import actions, figures
from everydesk.listening.access import get_topic_for, require_topics, visible_topics
from everydesk.listening.models import Topic

router = Router(tags=["topics"])


def _out(topics: list[Topic]) -> list[dict[str, Any]]:
    trends = figures.trends([t.pk for t in topics])
    rows = []
    for topic in topics:
        trend = trends.get(topic.pk, figures.Trend())
        rows.append(
            {
                **{f: getattr(topic, f) for f in TopicOut.model_fields if hasattr(topic, f)},
                "last_7_days": trend.volume,
                "previous_7_days": trend.previous,
                "sentiment_7_days": trend.sentiment,
            }
        )
    return rows


@router.get("", response={200: TopicPage, **errors(400, 401, 404, 422)})
def list_topics(request: HttpRequest, query: Query[TopicListQuery]) -> dict:
    """Topics in the order they were made (admins and managers)."""
    user = caller(request)
    require_topics(user)
    topics = visible_topics(user)
    if not query.merged:
        topics = topics.filter(merged_into=None)
    page = paginate(topics, fields=("id",), after=query.after, limit=query.limit)
    return {"items": _out(page.items), "next": page.next_cursor}


@router.get("/{topic_id}", response={200: TopicOut, **errors(401, 404)})
def get_topic(request: HttpRequest, topic_id: int) -> dict:
    return _out([get_topic_for(caller(request), topic_id)])[0]


CHANGES = {
    "name": lambda t, u, v: actions.rename_topic(topic=t, actor=u, name=v),
    "is_pinned": lambda t, u, v: actions.set_pinned(topic=t, actor=u, pinned=v),
}


@router.patch("/{topic_id}", response={200: TopicOut, **errors(400, 401, 404, 409, 422)})
def update_topic(request: HttpRequest, topic_id: int, payload: TopicPatch) -> dict:
    """Rename or pin/unpin; all or nothing."""
    user: User = caller(request)
    topic = get_topic_for(user, topic_id)
    with transaction.atomic():
        for field, value in payload.model_dump(exclude_unset=True).items():
            topic = CHANGES[field](topic, user, value)
    return _out([get_topic_for(user, topic_id)])[0]
