import pytest

from everydesk.listening.scoring import URGENCY_SIGNAL_LABELS

from .scoring_cases import score


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("If this isn't fixed I'm cancelling my subscription.", "churn_threat"),
        ("We are switching to a competitor next month.", "churn_threat"),
        ("I will never buy from you again.", "churn_threat"),
        ("I'm going to post this all over Twitter.", "public_threat"),
        ("Expect a one-star review on Trustpilot.", "public_threat"),
        ("I will tell everyone I know about this.", "public_threat"),
        ("My lawyer will be in touch.", "legal"),
        ("I have asked my bank for a chargeback.", "legal"),
        ("I'm taking this to the ombudsman.", "legal"),
        ("The kettle caught fire on the counter.", "safety"),
        ("I got an electric shock from the charger.", "safety"),
        ("My son was injured by the broken handle.", "safety"),
        ("This is the third time I ask about my refund.", "repeat_contact"),
        ("Still no answer after two weeks.", "repeat_contact"),
        ("I have already emailed you 4 times about this.", "repeat_contact"),
        ("WHERE IS MY ORDER, I PAID FOR EXPRESS DELIVERY", "shouting"),
        ("Fix it now!!!", "shouting"),
    ],
)
def test_each_signal_is_found(text, signal):
    assert signal in score(text).urgency_signals


@pytest.mark.parametrize(
    "text",
    [
        "Thank you, the refund came through.",
        "Can you switch my plan to the yearly one?",
        "The fire exit sign in your shop is a nice touch.",
        "I ordered the blue model on Tuesday.",
        "I use my USB stick with the HDMI adapter.",
    ],
)
def test_calm_messages_carry_no_signal(text):
    result = score(text)
    assert result.urgency_signals == ()
    assert result.urgency < 20


def test_a_calm_thank_you_is_not_urgent_at_all():
    assert score("Thanks a lot, everything works now.").urgency == 0


def test_signals_add_up_and_the_score_is_capped():
    one = score("I'm cancelling my subscription.")
    many = score(
        "THIRD TIME I WRITE!!! The heater caught fire. My lawyer will sue you, I'm "
        "cancelling my contract and posting this on Facebook."
    )
    assert set(many.urgency_signals) == set(URGENCY_SIGNAL_LABELS)
    assert many.urgency == 100
    assert 0 < one.urgency < many.urgency


def test_signals_come_in_a_stable_order_and_all_have_labels():
    result = score("My lawyer says the smoke from the charger is a safety issue.")
    assert result.urgency_signals == ("safety", "legal")
    assert all(URGENCY_SIGNAL_LABELS[code] for code in result.urgency_signals)
