"""How the portal names things to customers: plain words, not help-desk terms."""

from typing import NamedTuple

from everydesk.conversations.models import Kind, Status


class KindChoice(NamedTuple):
    value: str
    title: str
    line: str


# The four things a customer can come to us with, each with a line that helps them pick.
KIND_CHOICES = (
    KindChoice(Kind.COMPLAINT, "Something went wrong", "A problem with an order, a product or us."),
    KindChoice(Kind.QUESTION, "A question", "You would like to know something."),
    KindChoice(Kind.IDEA, "An idea", "A suggestion to make things better."),
    KindChoice(Kind.PRAISE, "Say thanks", "Something or someone made your day."),
)

STATUS_WORDS: dict[str, str] = {
    Status.NEW: "Received",
    Status.OPEN: "We're on it",
    Status.PENDING: "Waiting for your reply",
    Status.SOLVED: "Solved",
    Status.CLOSED: "Closed",
}

KIND_WORDS: dict[str, str] = {choice.value: choice.title for choice in KIND_CHOICES}
