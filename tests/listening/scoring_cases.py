"""One scoring call for all the hand-written cases of a test module: loading is the slow part."""

from everydesk.listening.scoring import TextScore, score_texts


def score(text: str) -> TextScore:
    return score_texts([text])[0]
