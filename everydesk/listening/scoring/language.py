"""Language of a text, by py3langid (naive Bayes over byte n-grams; the model ships in it)."""

from __future__ import annotations

import re
from typing import Any

# Below this many letters, or this many words, any guess is noise ("ok", "thx!!").
MIN_LETTERS = 12
MIN_WORDS = 3
# py3langid's normalised probability under which we would rather say nothing.
MIN_PROBABILITY = 0.4
_WORD = re.compile(r"[^\W\d_]+")


def load_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, identifier: Any) -> str:
    """ISO 639-1 code, or "" when the text is too short or the guess too unsure."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS or sum(len(word) for word in words) < MIN_LETTERS:
        return ""
    code, probability = identifier.classify(text)
    return str(code) if probability >= MIN_PROBABILITY else ""
