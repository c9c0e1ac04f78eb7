import pytest

from everydesk.listening.scoring import score_texts

from .scoring_cases import score

PLAINLY_NEGATIVE = [
    "The parcel arrived broken and nobody answers the phone.",
    "Terrible service, I waited two hours and the agent was rude.",
    "My order is a week late and the tracking has not moved.",
]
PLAINLY_POSITIVE = [
    "Your support team was wonderful, thank you so much!",
    "Delivery was quick and the jacket fits perfectly. Love it.",
    "Anna solved my problem in five minutes, brilliant service.",
]


@pytest.mark.parametrize("text", PLAINLY_NEGATIVE)
def test_plain_complaints_read_negative(text):
    result = score(text)
    assert result.sentiment_label == "negative"
    assert result.sentiment < -0.2


@pytest.mark.parametrize("text", PLAINLY_POSITIVE)
def test_plain_praise_reads_positive(text):
    result = score(text)
    assert result.sentiment_label == "positive"
    assert result.sentiment > 0.2


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for nothing.",
        "Thank you so much for wasting my whole afternoon.",
        "Great, third time it broke this month.",
        "Fantastic... another week without internet.",
        "Oh great, the app logged me out again.",
        "Love how the update crashed my phone again.",
        "Yeah right, 'next day delivery'.",
        "So much for premium support.",
        "I am not happy with the replacement.",
        "Perfect, now it doesn't turn on at all.",
    ],
)
def test_sarcasm_and_backhanded_thanks_read_negative(text):
    result = score(text)
    assert result.sentiment_label == "negative", result
    assert result.sentiment <= -0.5


@pytest.mark.parametrize(
    "text",
    [
        "Not bad at all, the delivery was on time.",
        "Can't complain, it does what it says.",
        "No complaints, the repair held up.",
        "Couldn't be happier with the new plan.",
        "It worked with no problems at all.",
        "I can't recommend this shop enough.",
    ],
)
def test_understated_praise_reads_positive(text):
    result = score(text)
    assert result.sentiment_label == "positive", result
    assert result.sentiment >= 0.35


def test_a_plain_statement_of_fact_is_neutral():
    assert score("I ordered the blue model on Tuesday.").sentiment_label == "neutral"


def test_scores_stay_in_range_and_labels_in_the_vocabulary():
    texts = PLAINLY_NEGATIVE + PLAINLY_POSITIVE + ["", "   ", "?", "!!!", "a" * 10_000]
    for result in score_texts(texts):
        assert -1.0 <= result.sentiment <= 1.0
        assert result.sentiment_label in {"negative", "neutral", "positive"}


def test_a_batch_scores_each_text_as_it_would_alone():
    texts = ["Thanks for nothing.", "Not bad at all.", "Where is my parcel?"]
    batch = score_texts(texts)
    for text, together in zip(texts, batch, strict=True):
        alone = score(text)
        assert (alone.sentiment, alone.kind, alone.urgency) == (
            together.sentiment,
            together.kind,
            together.urgency,
        )


def test_one_string_instead_of_a_list_is_refused():
    with pytest.raises(TypeError, match="sequence of texts"):
        score_texts("Thanks for nothing.")
