"""Who sees topics and alerts: the people who see the figures (admins and managers).

Anyone else gets a 404, as for any conversation they may not see, so ids cannot be
probed. Voices link to conversations only through `conversations.access`.
"""

from django.db.models import QuerySet
from django.http import Http404

from everydesk.accounts.models import User
from everydesk.listening.models import Alert, Topic


def sees_topics(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "sees_insights", False))


def visible_topics(user: User) -> QuerySet[Topic]:
    return Topic.objects.all() if sees_topics(user) else Topic.objects.none()


def get_topic_for(user: User, topic_id: int) -> Topic:
    topic = visible_topics(user).filter(pk=topic_id).first()
    if topic is None:
        raise Http404("No such topic.")
    return topic


def get_alert_for(user: User, alert_id: int) -> Alert:
    if not sees_topics(user):
        raise Http404("No such alert.")
    alert = Alert.objects.select_related("topic").filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    return alert


def require_topics(user: User) -> None:
    """For lists: those who may not see topics are told there is nothing here at all."""
    if not sees_topics(user):
        raise Http404("Nothing here.")
