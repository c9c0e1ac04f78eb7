import pytest

from .scoring_cases import score


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Where is my parcel? It was due on Monday.", "en"),
        ("Wo ist mein Paket? Es sollte am Montag kommen.", "de"),
        ("Où est mon colis ? Il devait arriver lundi.", "fr"),
        ("¿Dónde está mi pedido? Llevo dos semanas esperando.", "es"),
        ("Waar is mijn pakket? Het zou maandag komen.", "nl"),
    ],
)
def test_the_language_of_a_sentence_is_found(text, language):
    assert score(text).language == language


@pytest.mark.parametrize("text", ["", "ok", "thx!!", "👍", "12345 678"])
def test_text_too_short_to_tell_has_no_language(text):
    assert score(text).language == ""
