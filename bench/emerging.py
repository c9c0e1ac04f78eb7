"""Replay weeks of synthetic feedback through the emerging-issue detector.

    python bench/emerging.py                 # 8 weeks, 20 topics, 6 seeds; ~1 minute
    python bench/emerging.py --seeds 2 --replicates 10 --json

Traffic: 20 topics with normal volumes from 2 to 60 voices a day (log-uniform), a
weekday rhythm (Monday busiest, weekends a third of it), an hour-of-day rhythm (quiet
nights, busy office hours) and day-to-day variation beyond Poisson (each topic's rate
times a gamma factor with a 15% coefficient of variation, drawn per day, and the whole
desk's day times another, 10%). Counts per hour are Poisson around that rate.

Every hour after the first two weeks, each topic is judged by `listening.emerging`
exactly as the hourly job does (same config from the same settings defaults: one
false alarm a month across the topics, windows of 3, 8 and 24 hours, at least 5 voices),
and alerts open, continue and resolve by the same rule (`emerging.next_step`).

It prints:
- false alarms per month of ordinary traffic: alerts opened on topics with no spike,
  per 730 hours of traffic (all topics together, as a desk would see them);
- detection delay for planted spikes: in one topic (a middling one, 10 voices a day)
  the rate is multiplied from a random office-hours start for 24 hours; the delay is
  hours from the spike's start to the first alert (the job runs after each hour),
  over many starts and seeds; "missed" means no alert within 48 hours.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from everydesk.listening import emerging
from everydesk.listening.emerging import WEEK, DetectorConfig, HourlyCounts

WEEKDAY = np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.45, 0.4])  # Monday first
# Quiet nights, a morning peak, a dip at lunch, a quieter evening.
HOUR_OF_DAY = np.array(
    [0.1] * 7
    + [0.5, 1.2, 1.8, 1.9, 1.8, 1.5, 1.7, 1.8, 1.7, 1.5, 1.2, 0.9, 0.8, 0.7, 0.5, 0.3, 0.2]
)
DAY_CV = 0.15
DESK_CV = 0.1
SPIKE_TOPIC_DAILY = 10.0


def rates(daily: np.ndarray, weeks: int, rng: np.random.Generator) -> np.ndarray:
    """Expected voices per topic per hour (topics x hours), Monday 00:00 first."""
    hours = weeks * WEEK
    shape = np.tile(np.repeat(WEEKDAY, 24) * np.tile(HOUR_OF_DAY, 7), weeks)
    shape = shape / shape.reshape(weeks, WEEK).sum(axis=1).mean() * 7  # mean day = 1
    k, shared_k = 1 / DAY_CV**2, 1 / DESK_CV**2
    day_factor = rng.gamma(k, 1 / k, size=(len(daily), hours // 24))
    desk_factor = rng.gamma(shared_k, 1 / shared_k, size=hours // 24)  # the whole desk's day
    day_factor *= desk_factor[None, :]
    return daily[:, None] * shape[None, :] * np.repeat(day_factor, 24, axis=1)


def detector(topics: int) -> DetectorConfig:
    windows = DetectorConfig.windows
    return DetectorConfig(alpha=emerging.alpha_for(1.0, topics, len(windows)))


def replay(
    counts: np.ndarray, topic: int, totals: np.ndarray, config: DetectorConfig, hours: range
) -> list[int]:
    """Hours (ends of judged windows) at which an alert opened for one topic."""
    own = HourlyCounts.from_array(0, counts[topic])
    others = HourlyCounts.from_array(0, totals - counts[topic])
    opened, running = [], False
    for end in hours:
        found = emerging.assess(own, others, end=end, first_hour=0, config=config)
        step = emerging.next_step(running, found)
        if step == "open":
            opened.append(end)
            running = True
        elif step == "resolve":
            running = False
    return opened


def false_alarms(seeds: int, weeks: int, topics: int) -> dict:
    config = detector(topics)
    alarms, desk_hours = 0, 0
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        daily = np.exp(rng.uniform(np.log(2), np.log(60), topics))
        counts = rng.poisson(rates(daily, weeks, rng)).astype(float)
        totals = counts.sum(axis=0)
        judged = range(2 * WEEK + 24, weeks * WEEK + 1)
        for topic in range(topics):
            alarms += len(replay(counts, topic, totals, config, judged))
        desk_hours += len(judged)
    months = desk_hours / emerging.HOURS_PER_MONTH
    return {"alarms": alarms, "months": round(months, 2), "per_month": alarms / months}


def spike_delays(multiplier: float, replicates: int, weeks: int, topics: int) -> dict:
    config = detector(topics)
    delays, missed = [], 0
    for rep in range(replicates):
        rng = np.random.default_rng(5000 + rep)
        daily = np.exp(rng.uniform(np.log(2), np.log(60), topics))
        daily[0] = SPIKE_TOPIC_DAILY
        expected = rates(daily, weeks, rng)
        day = int(rng.integers(0, 5))  # a weekday of the last week
        start = (weeks - 1) * WEEK + day * 24 + int(rng.integers(8, 16))
        spiked = expected.copy()
        spiked[0, start : start + 24] *= multiplier
        counts = rng.poisson(spiked).astype(float)
        opened = replay(counts, 0, counts.sum(axis=0), config, range(start + 1, start + 49))
        if opened:
            delays.append(opened[0] - start)
        else:
            missed += 1
    return {
        "multiplier": multiplier,
        "extra_per_day": round(SPIKE_TOPIC_DAILY * (multiplier - 1), 1),
        "detected": len(delays),
        "missed": missed,
        "median_delay_h": statistics.median(delays) if delays else None,
        "p90_delay_h": float(np.percentile(delays, 90)) if delays else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=6, help="runs of ordinary traffic")
    parser.add_argument("--replicates", type=int, default=30, help="spike starts per size")
    parser.add_argument("--json", action="store_true", help="write bench/results/emerging.json")
    args = parser.parse_args()
    started = time.perf_counter()
    fa = false_alarms(args.seeds, args.weeks, args.topics)
    print(
        f"false alarms: {fa['alarms']} in {fa['months']} months of ordinary traffic of "
        f"{args.topics} topics: {fa['per_month']:.2f} per month across the desk "
        f"(stated bound: 1.00)"
    )
    spikes = []
    print("spike (x normal, 24 h)  extra/day  detected  median delay  p90 delay")
    for multiplier in (2.0, 3.0, 5.0, 10.0):
        row = spike_delays(multiplier, args.replicates, args.weeks, args.topics)
        spikes.append(row)
        median = "-" if row["median_delay_h"] is None else f"{row['median_delay_h']:.1f} h"
        p90 = "-" if row["p90_delay_h"] is None else f"{row['p90_delay_h']:.1f} h"
        print(
            f"x{multiplier:<22.0f} {row['extra_per_day']:>9}  "
            f"{row['detected']:>3}/{args.replicates:<4}  {median:>12}  {p90:>9}"
        )
    elapsed = time.perf_counter() - started
    print(f"took {elapsed:.1f} s")
    if args.json:
        out = Path(__file__).parent / "results"
        out.mkdir(exist_ok=True)
        result = {"false_alarms": fa, "spikes": spikes, "seconds": elapsed, "args": vars(args)}
        (out / "emerging.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
