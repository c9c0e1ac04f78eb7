"""Sentence embeddings from the static model in weights/static/ (model2vec, no torch).

The model is all-MiniLM-L6-v2 distilled into one vector per token: a text's vector is
the mean of its tokens' vectors, made unit length. That costs a table lookup per token,
which is what makes scoring thousands of texts a second possible on two cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model2vec import StaticModel

# Longer text adds little to its meaning vector and costs time; 512 tokens is MiniLM's own limit.
MAX_TOKENS = 512


class MissingWeights(RuntimeError):
    """The artifacts under weights/ are not where the package should have put them."""


def load_static_model(folder: Path) -> StaticModel:
    # model2vec falls back to downloading from a hub when a folder is missing: refuse first.
    if not (folder / "model.safetensors").exists():
        raise MissingWeights(
            f"{folder}/model.safetensors is missing: reinstall everydesk, or re-derive the "
            "weights with scripts/derive_listening_model.py (docs/listening.md)"
        )
    from model2vec import StaticModel

    return StaticModel.from_pretrained(folder, force_download=False)


def embed_batch(texts: Sequence[str], *, model: StaticModel) -> np.ndarray:
    """(n, dim) float32 rows of unit length; the zero row for text with no known token."""
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    vectors = model.encode(
        list(texts), max_length=MAX_TOKENS, use_multiprocessing=False, batch_size=1024
    ).astype(np.float32, copy=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors
