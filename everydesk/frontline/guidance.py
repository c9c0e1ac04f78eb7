"""Guidance for people who are not full-time agents: what worked before, and how to start.

Suggested replies are the replies that solved the most similar conversations of the
whole desk (listening.similar), not only those the person may open: the knowledge is
in the agents' answers, and a part-timer rarely sees the solved cases of other teams.
Only the staff-written reply text is shown for those; the cases themselves are linked
when the person may open them. Macros whose name, text or tags mention the
conversation's kind, topic or tags come next. Nothing is ever sent from here: a
suggestion only fills the reply box.
"""

import re
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from everydesk.accounts.models import Role, User
from everydesk.conversations import access
from everydesk.conversations.models import Conversation, Macro, Message
from everydesk.frontline import shift_inbox
from everydesk.frontline.models import ShiftTake
from everydesk.listening.models import Voice

SUGGESTED_REPLIES = 3
SUGGESTED_MACROS = 3
# Mentions shorter than this (a, of, ...) would match almost every macro.
SHORTEST_WORD = 4


@dataclass(frozen=True)
class Suggestion:
    reply: Message
    similarity: float
    conversation: Conversation
    may_open: bool


def wanted(user: User) -> bool:
    """Employees always get guidance; managers and admins while they are on shift."""
    if user.role == Role.EMPLOYEE:
        return True
    return shift_inbox.may_use(user) and shift_inbox.current_shift(user) is not None


def first_time(user: User) -> bool:
    """Nobody has seen them answer a conversation from a shift yet."""
    return not ShiftTake.objects.filter(user=user, answered_at__isnull=False).exists()


def suggested_replies(user: User, conversation: Conversation) -> list[Suggestion]:
    from everydesk.listening import similar  # numpy, for conversation pages only

    found = similar.similar_solved_among(
        Conversation.objects.all(), conversation, limit=SUGGESTED_REPLIES * 2
    )
    with_reply = [item for item in found if item.solution is not None][:SUGGESTED_REPLIES]
    ids = [item.conversation.pk for item in with_reply]
    visible = set(
        access.visible_conversations(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return [
        Suggestion(
            item.solution, item.similarity, item.conversation, item.conversation.pk in visible
        )
        for item in with_reply
        if item.solution is not None
    ]


def _topic_name(conversation: Conversation) -> str:
    voice = (
        Voice.objects.filter(conversation=conversation, topic__isnull=False)
        .select_related("topic")
        .order_by("-created_at")
        .first()
    )
    return voice.topic.name if voice and voice.topic else ""


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= SHORTEST_WORD}


def matching_macros(conversation: Conversation) -> list[Macro]:
    """Macros that speak of this kind, topic or tags, most mentions first."""
    prefetch_related_objects([conversation], "tags")
    tags = {tag.name for tag in conversation.tags.all()}
    wanted_words = _words(f"{conversation.kind} {_topic_name(conversation)}") | tags
    macros = list(Macro.objects.prefetch_related("add_tags"))
    scored = []
    for macro in macros:
        said = _words(f"{macro.name} {macro.body}") | {t.name for t in macro.add_tags.all()}
        if hits := len(said & wanted_words):
            scored.append((-hits, macro.name, macro))
    return [macro for *_, macro in sorted(scored, key=lambda row: row[:2])][:SUGGESTED_MACROS]


def reply_text(user: User, conversation: Conversation, reply_id: int) -> str | None:
    """The text of a suggested reply, if `reply_id` is one of the suggestions shown."""
    for suggestion in suggested_replies(user, conversation):
        if suggestion.reply.pk == reply_id:
            return suggestion.reply.body_text
    return None
