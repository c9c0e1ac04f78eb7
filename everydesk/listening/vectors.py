"""Embeddings as stored (float32 bytes, unit length) and back, and their means."""

from collections.abc import Iterable

import numpy as np

Raw = bytes | memoryview | None


def from_bytes(raw: Raw) -> np.ndarray:
    if raw is None:
        raise ValueError("This voice has no embedding.")
    return np.frombuffer(bytes(raw), dtype=np.float32)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


def stack(raws: Iterable[Raw]) -> np.ndarray:
    """Rows of a matrix, one per stored embedding."""
    rows = [from_bytes(raw) for raw in raws]
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(rows)


def centroid(matrix: np.ndarray) -> np.ndarray:
    """The unit direction of the mean of unit rows."""
    return unit(matrix.sum(axis=0))
