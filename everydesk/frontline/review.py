"""Mentor review: a reply held back until someone experienced approves it.

Who mentors: the author's manager when they have one who is active staff (they know
the person and are accountable for them); otherwise any agent may pick the review up,
and the agents of the conversation's team (every agent when it has none) are told.
Whoever decides is recorded as the mentor. Nothing reaches the customer before an
approval, which sends the draft as the author through conversations.actions.add_reply.
Changes requested with a comment go back to the author, who edits and asks again
(a new review row, so the history stays readable).
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.conversations import actions, events
from everydesk.conversations.models import Conversation, Message, MessageKind
from everydesk.frontline.models import ReplyReview, ReviewStatus
from everydesk.lib.errors import ActionError
from everydesk.notifications.actions import notify


def mentor_for(author: User) -> User | None:
    manager = author.manager
    if manager is not None and manager.is_staff_member and manager.pk != author.pk:
        return manager
    return None


def _agents_for(conversation: Conversation) -> QuerySet[User]:
    agents = User.objects.filter(role=Role.AGENT, is_active=True)
    if conversation.team_id:
        on_team = agents.filter(teams=conversation.team_id)
        if on_team.exists():
            return on_team
    return agents


def may_review(user: User, review: ReplyReview) -> bool:
    if not user.is_staff_member or user.pk == review.author_id:
        return False
    if review.mentor_id is not None:
        return review.mentor_id == user.pk or user.role == Role.ADMIN
    return user.is_agent_or_admin


def pending_for(user: User) -> QuerySet[ReplyReview]:
    """Reviews waiting for this person, oldest first."""
    mine = Q(mentor=user)
    if user.is_agent_or_admin:
        mine |= Q(mentor__isnull=True)
    return (
        ReplyReview.objects.filter(mine, status=ReviewStatus.REQUESTED)
        .exclude(author=user)
        .select_related("author", "conversation", "conversation__customer")
        .order_by("created_at", "id")
    )


def latest_for(author: User, conversation: Conversation) -> ReplyReview | None:
    return (
        ReplyReview.objects.filter(conversation=conversation, author=author)
        .select_related("mentor")
        .order_by("-created_at", "-id")
        .first()
    )


def draft_to_edit(review: ReplyReview) -> str | None:
    """The draft of a review sent back for changes, until its author replied some other
    way (then it is done with)."""
    if review.status != ReviewStatus.CHANGES_REQUESTED:
        return None
    replied_since = Message.objects.filter(
        conversation_id=review.conversation_id,
        kind=MessageKind.REPLY,
        author_user_id=review.author_id,
        created_at__gt=review.decided_at,
    )
    return None if replied_since.exists() else review.body


@transaction.atomic
def request_review(*, conversation: Conversation, author: User, body: str) -> ReplyReview:
    """Hold a draft for a mentor and tell them. Nothing is sent to the customer."""
    body = (body or "").strip()
    if not body:
        raise ActionError("The reply is empty.", field="body")
    if conversation.merged_into_id:
        raise ActionError(
            f"This conversation was merged into #{conversation.merged_into_id}; work there.",
            code="conflict",
        )
    waiting = ReplyReview.objects.filter(
        conversation=conversation, author=author, status=ReviewStatus.REQUESTED
    )
    if waiting.exists():
        raise ActionError(
            "You already asked a mentor about a reply here; wait for their answer.",
            code="conflict",
        )
    mentor = mentor_for(author)
    review = ReplyReview.objects.create(
        conversation=conversation, author=author, body=body, mentor=mentor
    )
    events.review_requested(conversation, author, review=review.pk)
    notify(
        users=[mentor] if mentor else _agents_for(conversation),
        kind="review_requested",
        title=f"{author.display_name} asks you to review a reply on #{conversation.pk}",
        body=body[:500],
        url=reverse("desk:reviews"),
        email=True,
    )
    return review


def _decide(review_id: int, mentor: User) -> ReplyReview:
    """The review, locked, if this mentor may still decide it."""
    review = (
        ReplyReview.objects.select_for_update(of=("self",))
        .select_related("conversation", "author")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not may_review(mentor, review):
        raise ActionError("There is no such review waiting for you.", code="not_found")
    if review.status != ReviewStatus.REQUESTED:
        raise ActionError("This review has already been answered.", code="conflict")
    return review


@transaction.atomic
def approve(*, review_id: int, mentor: User) -> ReplyReview:
    """Send the draft to the customer as its author, and tell the author."""
    review = _decide(review_id, mentor)
    message = actions.add_reply(
        conversation=review.conversation, author=review.author, body=review.body
    )
    review.status = ReviewStatus.APPROVED
    review.mentor = mentor
    review.message = message
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "mentor", "message", "decided_at"])
    events.review_approved(review.conversation, mentor, review=review.pk, author=review.author)
    notify(
        users=[review.author],
        kind="review_approved",
        title=f"{mentor.display_name} approved your reply on #{review.conversation_id}; it is sent",
        url=reverse("desk:conversation", args=[review.conversation_id]),
    )
    return review


@transaction.atomic
def request_changes(*, review_id: int, mentor: User, comment: str) -> ReplyReview:
    """Send the draft back to its author with what to change; the customer sees nothing."""
    comment = (comment or "").strip()
    if not comment:
        raise ActionError("Say what should change, so the author knows.", field="comment")
    review = _decide(review_id, mentor)
    review.status = ReviewStatus.CHANGES_REQUESTED
    review.mentor = mentor
    review.comment = comment
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "mentor", "comment", "decided_at"])
    events.review_changes_requested(review.conversation, mentor, review=review.pk, comment=comment)
    notify(
        users=[review.author],
        kind="review_changes_requested",
        title=f"{mentor.display_name} suggests changes to your reply on #{review.conversation_id}",
        body=comment,
        url=reverse("desk:conversation", args=[review.conversation_id]),
        email=True,
    )
    return review
