"""What the portal's conversation page needs to offer "rate this conversation"."""

from typing import Any

from everydesk.conversations.models import Conversation
from everydesk.surveys.actions import rateable
from everydesk.surveys.forms import AnswerForm
from everydesk.surveys.models import CSAT_SCALE, Survey, SurveyKind


def context(conversation: Conversation) -> dict[str, Any]:
    """Solved or closed conversations can be rated once; others show nothing."""
    if not rateable(conversation):
        return {"rateable": False}
    survey = Survey.objects.filter(conversation=conversation, kind=SurveyKind.CSAT).first()
    return {"rateable": True, "survey": survey, "rating_form": AnswerForm(scale=CSAT_SCALE)}
