"""Measure the similar-conversations index: query latency and memory by vector count.

    python bench/similar_index.py --sizes 10000 100000 1000000

Pure numpy, no database: random unit vectors of the models' dimension stand in for
conversation vectors (latency and memory depend on the count and the dimension, not on
what the vectors mean). For each size it reports, per layout, the resident bytes of the
matrix and the median and p95 time of one query (a matrix-vector product plus the
top-k selection), and checks that the quantised layouts find the same neighbours as
float32 (recall@10). See docs/listening.md, "Similar conversations and duplicates".
"""

import argparse
import statistics
import time

import numpy as np

DIM = 256  # everydesk.listening.scoring.EMBEDDING_DIM
CHUNK = 32_768  # rows converted to float32 at a time for the quantised layouts


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    matrix = rng.standard_normal((n, DIM), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    top = np.argpartition(scores, -k)[-k:]
    return top[np.argsort(scores[top])[::-1]]


def _chunked(matrix: np.ndarray, query: np.ndarray, scale: float) -> np.ndarray:
    out = np.empty(len(matrix), dtype=np.float32)
    for start in range(0, len(matrix), CHUNK):
        out[start : start + CHUNK] = matrix[start : start + CHUNK].astype(np.float32) @ query
    return out * scale


def _time(search, queries: np.ndarray) -> tuple[float, float]:
    search(queries[0])
    times = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(n: int, queries: int, k: int) -> None:
    rng = np.random.default_rng(7)
    f32 = _unit(rng, n)
    # Queries near stored vectors, as a conversation near its solved twins.
    picks = rng.integers(0, n, queries)
    asked = f32[picks] + 0.05 * _unit(rng, queries)
    asked /= np.linalg.norm(asked, axis=1, keepdims=True)
    layouts = {
        "float32": (f32, lambda q: _top(f32 @ q, k)),
    }
    f16 = f32.astype(np.float16)
    layouts["float16"] = (f16, lambda q: _top(_chunked(f16, q, 1.0), k))
    i8 = np.round(f32 * 127).astype(np.int8)
    layouts["int8"] = (i8, lambda q: _top(_chunked(i8, q, 1 / 127), k))
    truth = [set(_top(f32 @ q, 10)) for q in asked[:50]]
    for name, (matrix, search) in layouts.items():
        median, p95 = _time(search, asked)
        recall = statistics.mean(
            len(set(search(q)[:10]) & t) / 10 for q, t in zip(asked, truth, strict=False)
        )
        print(
            f"{n:>10,} {name:8} {matrix.nbytes / 2**20:9.0f} MiB "
            f"{median:9.1f} ms {p95:9.1f} ms   recall@10 {recall:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("-k", type=int, default=60, help="candidates per query (similar.py)")
    options = parser.parse_args()
    print(f"{'vectors':>10} {'layout':8} {'memory':>13} {'median':>12} {'p95':>12}")
    for n in options.sizes:
        measure(n, options.queries, options.k)


if __name__ == "__main__":
    main()
