"""Texts per second through the full listening scoring, by batch size, and peak memory.

    python bench/score_throughput.py [--texts 20000] [--batch-sizes 1,64,1024]

The texts are generated support messages of mixed length (one line to a few
paragraphs), made from a fixed seed so every run scores the same words. The first
call, which loads the models, is timed apart ("load"); each batch size then scores
the same texts. Peak RSS is the process's high-water mark (psutil is not needed).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from everydesk.listening.scoring import score_texts  # noqa: E402

OPENINGS = [
    "Hi, my order {n} still has not arrived",
    "Thanks for the quick refund on order {n}",
    "This is the third time I ask about invoice {n}",
    "How do I change the delivery address for order {n}?",
    "It would be great if the app let me pause my subscription",
    "The charger you sent me started smoking last night",
    "Your agent Maria was wonderful, she sorted everything out",
    "I will cancel my account if this is not fixed by Friday",
]
MIDDLES = [
    "I ordered it two weeks ago and the tracking page shows nothing since Monday.",
    "The box was damaged and one of the cups inside was broken.",
    "I have tried logging in on my phone and on my laptop and neither works.",
    "Delivery was on time and the packaging was very neat.",
    "Nobody answered my last two emails, which is not what I expect from you.",
    "Could you also tell me whether the warranty covers water damage?",
    "My neighbour had the same problem with the same model last month.",
]
CLOSINGS = ["Regards, Sam", "Thanks!", "Please call me back.", "", "Not happy at all."]


def texts(count: int, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        body = [rng.choice(OPENINGS).format(n=rng.randint(10000, 99999)) + "."]
        body += rng.sample(MIDDLES, rng.choice([0, 1, 1, 2, 3, 5]))
        body.append(rng.choice(CLOSINGS))
        out.append(" ".join(part for part in body if part))
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--batch-sizes", default="1,64,1024")
    options = parser.parse_args()
    corpus = texts(options.texts)
    words = sum(len(text.split()) for text in corpus) / len(corpus)
    print(f"{len(corpus)} texts, {words:.0f} words each on average")

    started = time.perf_counter()
    score_texts(corpus[:1])
    print(f"load (first call): {time.perf_counter() - started:.2f} s, RSS {peak_rss_mb():.0f} MB")

    for size in (int(part) for part in options.batch_sizes.split(",")):
        # Batches of one cost a Python round trip each: fewer texts keep the run short.
        sample = corpus if size >= 64 else corpus[:2000]
        started = time.perf_counter()
        for start in range(0, len(sample), size):
            score_texts(sample[start : start + size])
        elapsed = time.perf_counter() - started
        print(f"batch {size:>5}: {len(sample) / elapsed:>8.0f} texts/s ({len(sample)} texts)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
