"""Is a topic rising beyond its normal? Pure functions over hourly counts.

Hours are whole numbers (hours since the Unix epoch, UTC), so "the same weekday and
hour of day, k weeks ago" is simply `hour - 168 * k`.

The test, for each window length L (3 and 24 hours by default) ending now:

- its normal comes from the same L hours of the same weekday in each of the previous
  K weeks (up to 8, at least 2): B voices in all;
- scaled by the rest of the desk: when the other topics together are busier now than
  in those same weeks, the expectation rises with them (up to x2, and only when they
  are busy enough to say so; a quieter desk leaves it as it is);
- the observed count X is compared with a negative binomial whose mean is
  scale * (B + 1/2) / K. Its spread has two parts: that B comes from only K weeks
  (the Poisson-gamma predictive, size B + 1/2) and that real weeks differ from each
  other more than Poisson counts do (the rate's coefficient of variation: measured
  from the topic's own K weeks, shrunk towards DISPERSION). The tail probability
  P(X' >= X) is the p-value;
- it fires when p <= alpha and X >= a minimum count, so one stray message never
  alerts. alpha comes from the false-alarm rate wanted: at most R false alarms a month
  across T topics, each tested hourly on W windows, is alpha = R / (T * 730 * W)
  (a union bound: consecutive hours overlap, so the real rate is lower; bench/emerging.py
  measures it).

A topic with under two weeks of its own history cannot have a normal yet: it fires when
it reaches a daily count (ALERT_NEW_TOPIC_DAILY) in the last 24 hours.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

WEEK = 168
HOURS_PER_MONTH = 730
# Week-to-week variation of a topic's rate beyond Poisson noise (coefficient of variation):
# the prior, worth PRIOR_WEEKS weeks, that each topic's own history then corrects.
DISPERSION = 0.25
PRIOR_WEEKS = 4
# Below this many voices of the other topics per window, their level says nothing.
SCALE_FLOOR = 30.0
# Only upwards: a busier desk raises every topic's normal, but a quiet one does not make
# its topics look unusual (that would trade false alarms for little earlier detection).
SCALE_RANGE = (1.0, 2.0)
# An alert resolves when no window is unusual even at this loose level.
RESOLVE_P = 0.05


@dataclass(frozen=True)
class DetectorConfig:
    alpha: float
    windows: tuple[int, ...] = (3, 8, 24)
    weeks: int = 8
    min_weeks: int = 2
    min_count: int = 5
    new_topic_daily: int = 10
    dispersion: float = DISPERSION


def alpha_for(false_alarms_per_month: float, topics: int, windows: int) -> float:
    """The per-test tail probability that keeps false alarms under the monthly rate."""
    return false_alarms_per_month / (max(1, topics) * HOURS_PER_MONTH * max(1, windows))


class HourlyCounts:
    """Counts per hour with O(1) sums over any range (prefix sums)."""

    def __init__(self, counts: Mapping[int, float]) -> None:
        self.first = min(counts) if counts else 0
        last = max(counts) if counts else -1
        dense = np.zeros(max(0, last - self.first + 1), dtype=np.float64)
        for hour, count in counts.items():
            dense[hour - self.first] += count
        self._prefix = np.concatenate([[0.0], np.cumsum(dense)])

    @classmethod
    def from_array(cls, first: int, values: Sequence[float] | np.ndarray) -> "HourlyCounts":
        made = cls({})
        made.first = first
        made._prefix = np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))])
        return made

    def total(self, start: int, end: int) -> float:
        """Sum over hours start <= h < end."""
        size = len(self._prefix) - 1
        lo = min(max(start - self.first, 0), size)
        hi = min(max(end - self.first, 0), size)
        return float(self._prefix[hi] - self._prefix[lo]) if hi > lo else 0.0


def upper_tail(observed: int, mean: float, size: float) -> float:
    """P(X >= observed) for a negative binomial with this mean and size (shape)."""
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    p = size / (size + mean)
    log_p, log_q = math.log(p), math.log1p(-p)

    def log_pmf(k: int) -> float:
        return (
            math.lgamma(k + size)
            - math.lgamma(size)
            - math.lgamma(k + 1)
            + size * log_p
            + k * log_q
        )

    mode = max(0, int((size - 1) * (1 - p) / p)) if size > 1 else 0
    if observed <= mode:
        # Left of the peak the upper tail is large: take the complement instead.
        below = sum(math.exp(log_pmf(k)) for k in range(observed))
        return max(0.0, min(1.0, 1.0 - below))
    first = log_pmf(observed)
    total, k = 0.0, observed
    while True:
        term = math.exp(log_pmf(k) - first)
        total += term
        k += 1
        if term < 1e-12 * total or k - observed > 100_000:
            break
    return min(1.0, math.exp(first) * total)


@dataclass(frozen=True)
class Window:
    hours: int
    start: int
    end: int
    observed: int
    expected: float
    p_value: float

    @property
    def score(self) -> float:
        """-log10 of the tail probability: 4 means a 1-in-10,000 window."""
        return -math.log10(max(self.p_value, 1e-300))


@dataclass(frozen=True)
class Assessment:
    rule: str | None  # "rise", "new_topic", or None when nothing fires
    firing: Window | None
    windows: list[Window] = field(default_factory=list)
    normal: bool = True  # back to normal: an open alert may resolve

    @property
    def fires(self) -> bool:
        return self.rule is not None


def next_step(running: bool, assessment: Assessment) -> str | None:
    """What happens to a topic's alert: "open", "update", "resolve" or nothing."""
    if assessment.fires:
        return "update" if running else "open"
    if running and assessment.normal:
        return "resolve"
    return None


def weeks_of_history(first_hour: int, start: int, config: DetectorConfig) -> int:
    return max(0, min(config.weeks, (start - first_hour) // WEEK))


def expected(
    topic: HourlyCounts,
    others: HourlyCounts,
    *,
    start: int,
    end: int,
    weeks: int,
    dispersion: float = DISPERSION,
) -> tuple[float, float]:
    """The normal count of hours start..end and its negative binomial size."""
    past = [(start - WEEK * k, end - WEEK * k) for k in range(1, weeks + 1)]
    weekly = np.array([topic.total(a, b) for a, b in past])
    base = float(weekly.sum())
    other_base = sum(others.total(a, b) for a, b in past) / weeks
    scale = 1.0
    if other_base >= SCALE_FLOOR:
        other_now = others.total(start, end)
        scale = min(max((other_now + 1) / (other_base + 1), SCALE_RANGE[0]), SCALE_RANGE[1])
    mean = scale * (base + 0.5) / weeks
    size = 1.0 / (1.0 / (base + 0.5) + _cv_squared(weekly, dispersion))
    return mean, size


def _cv_squared(weekly: np.ndarray, prior: float) -> float:
    """The rate's variation beyond Poisson, from the topic's own weeks, shrunk to the prior."""
    seen = 0.0
    level = float(weekly.mean())
    if len(weekly) > 1 and level > 0:
        seen = max(0.0, float(weekly.var(ddof=1)) - level) / level**2
    return (PRIOR_WEEKS * prior**2 + len(weekly) * seen) / (PRIOR_WEEKS + len(weekly))


def assess(
    topic: HourlyCounts,
    others: HourlyCounts,
    *,
    end: int,
    first_hour: int,
    config: DetectorConfig,
) -> Assessment:
    """Judge the windows ending at hour `end` (exclusive) for one topic."""
    longest = max(config.windows)
    weeks = weeks_of_history(first_hour, end - longest, config)
    if weeks < config.min_weeks:
        return _new_topic(topic, end=end, config=config)
    windows = []
    for hours in config.windows:
        start = end - hours
        mean, size = expected(
            topic, others, start=start, end=end, weeks=weeks, dispersion=config.dispersion
        )
        observed = round(topic.total(start, end))
        windows.append(Window(hours, start, end, observed, mean, upper_tail(observed, mean, size)))
    firing = [w for w in windows if w.p_value <= config.alpha and w.observed >= config.min_count]
    normal = all(w.p_value > RESOLVE_P or w.observed < config.min_count for w in windows)
    if not firing:
        return Assessment(None, None, windows, normal)
    return Assessment("rise", min(firing, key=lambda w: w.p_value), windows, normal=False)


def _new_topic(topic: HourlyCounts, *, end: int, config: DetectorConfig) -> Assessment:
    observed = round(topic.total(end - 24, end))
    window = Window(24, end - 24, end, observed, 0.0, 1.0)
    if observed >= max(config.new_topic_daily, config.min_count):
        return Assessment("new_topic", window, [window], normal=False)
    return Assessment(None, None, [window], normal=observed < config.new_topic_daily)


def expected_series(
    topic: HourlyCounts,
    others: HourlyCounts,
    *,
    start: int,
    end: int,
    first_hour: int,
    config: DetectorConfig,
    step: int = 1,
) -> list[float | None]:
    """The normal count of each `step`-hour slot from start to end (None without history)."""
    series: list[float | None] = []
    for slot in range(start, end, step):
        weeks = weeks_of_history(first_hour, slot, config)
        if weeks < config.min_weeks:
            series.append(None)
            continue
        mean, _ = expected(topic, others, start=slot, end=slot + step, weeks=weeks)
        series.append(round(mean, 2))
    return series
