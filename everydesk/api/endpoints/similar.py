"""Conversations alike in meaning (listening/similar.py): staff only."""

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Router

from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.listening import SimilarPage
from everydesk.conversations import access

router = Router(tags=["conversations"])


@router.get("/{conversation_id}/similar", response={200: SimilarPage, **errors(401, 403, 404)})
def similar_conversations(request: HttpRequest, conversation_id: int) -> dict:
    """Similar solved conversations with the replies that solved them, and possible duplicates."""
    from everydesk.listening import similar  # numpy: not loaded by every API process

    user = caller(request)
    conversation = access.get_conversation_for(user, conversation_id)
    if not user.is_staff_member:
        raise PermissionDenied("Only staff can see similar conversations.")
    found = similar.similar_solved(user, conversation)
    duplicates = similar.possible_duplicates(user, conversation)
    conversations = [item.conversation for item in found] + [c for c, _ in duplicates]
    prefetch_related_objects(conversations, "tags", "assignee", "team", "customer__tier")
    return {
        "similar": [
            {
                "conversation": item.conversation,
                "similarity": item.similarity,
                "solution": None
                if item.solution is None
                else {
                    "message_id": item.solution.pk,
                    "author_name": item.solution.author_name,
                    "body": item.solution.body_text,
                    "created_at": item.solution.created_at,
                },
            }
            for item in found
        ],
        "duplicates": [{"conversation": c, "similarity": score} for c, score in duplicates],
    }
