"""Topic names from key words: distinctive terms, no stop words, never two alike."""

import pytest

from everydesk.listening import naming, topics
from everydesk.listening.models import Topic, Voice
from tests.listening.conftest import make_topic, make_voice, near


def test_key_words_are_what_a_group_says_more_than_the_others():
    found = naming.keywords(
        {
            1: ["My card was charged twice", "Charged twice for one order, refund me"],
            2: ["The parcel arrived crushed", "Crushed parcel, the courier dropped it"],
        },
        background=["Hello, what are your opening hours?"],
    )
    assert found[1][0] == "charged twice"
    assert "parcel" in found[2] and "crushed" in found[2]
    assert not {"the", "my", "for", "hello"} & set(found[1] + found[2])


def test_a_name_is_two_to_four_words_of_the_best_terms():
    assert naming.name_from(["charged twice", "refund", "card", "order"]) == (
        "charged twice · refund"
    )
    assert naming.name_from(["refund"]) == "refund"
    assert naming.name_from([]) == "Unnamed topic"


def test_a_name_already_taken_is_told_apart():
    keywords = ["crushed", "inside", "scratched", "courier"]
    taken = {naming.name_from(keywords)}
    other = naming.unique_name(keywords, taken, number=7)
    assert other not in taken and "courier" in other
    assert naming.unique_name(["crushed"], {"crushed"}, number=7) == "crushed (7)"


@pytest.mark.django_db
def test_two_topics_saying_the_same_never_share_a_name():
    first, second = make_topic(0), make_topic(1)
    for topic, theme in ((first, 0), (second, 1)):
        for text in ("parcel crushed inside", "crushed parcel scratched", "courier crushed it"):
            voice = make_voice(text, near(theme))
            Voice.objects.filter(pk=voice.pk).update(topic=topic)
    topics.rename([first, second])
    names = set(Topic.objects.values_list("name", flat=True))
    assert len(names) == 2


def test_names_in_greetings_and_sign_offs_and_order_numbers_are_not_key_words():
    found = naming.terms(
        "Hi Kofi,\nInvoice INV-38255 has the wrong VAT number for order ED-496299.\n"
        "Many thanks,\nNoah"
    )
    assert {"invoice", "vat", "vat number"} <= found
    assert not {"kofi", "noah", "inv", "ed"} & {w for term in found for w in term.split()}
