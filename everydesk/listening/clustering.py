"""Grouping unit embeddings by cosine similarity (numpy only; a few thousand rows at a time).

`dense_groups` finds the groups regrouping turns into topics: repeatedly take the row with
the most close neighbours still ungrouped, gather them, and keep those close to the
group's mean. Rows close to nothing stay out (they wait for company). `kmeans` splits one
topic into a chosen number of parts.
"""

import numpy as np

from everydesk.listening.vectors import centroid

REFINE_ROUNDS = 2


def dense_groups(matrix: np.ndarray, *, threshold: float, min_size: int) -> list[list[int]]:
    """Row indices of each group of at least `min_size` rows within `threshold` of its mean."""
    if len(matrix) < min_size:
        return []
    close = (matrix @ matrix.T) >= threshold
    free = np.ones(len(matrix), dtype=bool)
    groups: list[list[int]] = []
    while True:
        degree = (close & free[None, :]).sum(axis=1) * free
        seed = int(np.argmax(degree))
        if degree[seed] < min_size:
            return groups
        members = np.flatnonzero(close[seed] & free)
        for _ in range(REFINE_ROUNDS):
            mean = centroid(matrix[members])
            members = np.flatnonzero(((matrix @ mean) >= threshold) & free)
            if len(members) == 0:
                break
        if len(members) < min_size:
            # Its neighbourhood is not a group after all; take the seed out and go on.
            free[seed] = False
            continue
        groups.append([int(i) for i in members])
        free[members] = False


def kmeans(matrix: np.ndarray, parts: int, *, rounds: int = 20) -> np.ndarray:
    """A label 0..parts-1 per row; seeded deterministically, farthest-first."""
    seeds = [0]
    for _ in range(1, parts):
        nearest = np.max(matrix @ matrix[seeds].T, axis=1)
        seeds.append(int(np.argmin(nearest)))
    centres = matrix[seeds].copy()
    labels = np.zeros(len(matrix), dtype=int)
    for _ in range(rounds):
        new = np.argmax(matrix @ centres.T, axis=1)
        if _ > 0 and np.array_equal(new, labels):
            break
        labels = new
        for part in range(parts):
            rows = matrix[labels == part]
            if len(rows):
                centres[part] = centroid(rows)
    return labels
