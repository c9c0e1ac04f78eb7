"""One meaning vector per conversation, for similar solved conversations and duplicates."""

from django.db import models
from django.utils import timezone

from everydesk.conversations.models import Conversation


class ConversationVector(models.Model):
    """The normalised mean of a conversation's scored customer voices' embeddings.

    Kept apart from Conversation so the inbox never reads the bytes, and so the
    in-process index (listening/similar.py) can refresh from `updated_at` alone.
    """

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="vector"
    )
    customer_id = models.BigIntegerField()  # copied: duplicates are looked up per customer
    embedding = models.BinaryField()  # float32 bytes, unit length
    voice_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: the index refreshing what changed since it last looked
            models.Index(fields=["updated_at"], name="convvector_changed"),
            # serves: a customer's other conversations, for possible duplicates
            models.Index(fields=["customer_id"], name="convvector_customer"),
        ]

    def __str__(self) -> str:
        return f"Vector of #{self.conversation_id}"
