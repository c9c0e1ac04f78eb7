import pytest

from .scoring_cases import score


@pytest.mark.parametrize(
    "text",
    [
        "How do I reset my password?",
        "Do you ship to Norway?",
        "Can I change the delivery address after ordering",
        "I was wondering whether the warranty covers water damage.",
        "Is there a way to download all my invoices at once",
    ],
)
def test_questions_are_questions(text):
    result = score(text)
    assert result.kind == "question", result
    assert result.kind_confidence >= 0.7


@pytest.mark.parametrize(
    "text",
    [
        "It would be great if the app had a dark mode.",
        "Please add an option to pause my subscription.",
        "Feature request: export reports as PDF.",
        "I wish you offered gift wrapping.",
        "You should add PayPal at checkout.",
        "Suggestion: let us pick a delivery slot.",
    ],
)
def test_suggestions_are_ideas(text):
    assert score(text).kind == "idea"


@pytest.mark.parametrize(
    "text",
    [
        "The parcel arrived broken and nobody answers the phone.",
        "Thanks for nothing.",
        "Why is my order STILL not here?? This is ridiculous.",
        "I will cancel my account if this is not fixed today.",
        "The charger started smoking when I plugged it in.",
    ],
)
def test_complaints_are_complaints_even_when_asked_as_questions(text):
    assert score(text).kind == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "Your support team was wonderful, thank you so much!",
        "Not bad at all, the delivery was on time.",
        "Anna solved my problem in five minutes, brilliant service.",
    ],
)
def test_praise_is_praise(text):
    assert score(text).kind == "praise"


def test_a_sarcastic_wish_is_a_complaint_not_an_idea():
    assert score("It would be great if it worked. Great, third time it broke.").kind == (
        "complaint"
    )


def test_a_statement_with_no_opinion_is_other():
    result = score("I ordered the blue model on Tuesday.")
    assert result.kind == "other"
    assert 0 <= result.kind_confidence <= 1
