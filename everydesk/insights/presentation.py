"""Figures as people read them: headline cards with the comparison spelt out, and charts.

Shared by the dashboard, the digest email and the PDF, so all three say the same.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString

from everydesk.insights.figures import Compared, Figures
from everydesk.lib import charts


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    previous: str
    change: str  # "+12% on the previous period", "no change", ...
    # "up" or "down" when the figure moved, "" otherwise; "good" says whether that is welcome.
    direction: str
    good: bool | None


NONE = "\N{EN DASH}"  # shown where a figure is unknown


def duration(seconds: float | None) -> str:
    if seconds is None:
        return NONE
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def count(value: float | None) -> str:
    return NONE if value is None else f"{round(value):,}"


def score(value: float | None) -> str:
    return NONE if value is None else f"{value:+.2f}"


def share(value: float | None) -> str:
    return NONE if value is None else f"{value:.0%}"


def points(value: float | None) -> str:
    """An NPS, -100..100."""
    return NONE if value is None else f"{value:+.0f}"


def _card(
    label: str, figure: Compared, show: type | object, *, higher_is_better: bool | None
) -> Card:
    fmt = show  # a formatting function
    change, direction, good = "no earlier figure", "", None
    if figure.current is not None and figure.previous is not None:
        difference = figure.difference or 0.0
        if abs(difference) < 1e-9:
            change = "no change"
        else:
            direction = "up" if difference > 0 else "down"
            if figure.change is not None and fmt in (count, duration):
                change = f"{figure.change:+.0%} on the previous period"
            elif fmt is share:
                change = f"{difference * 100:+.0f} points on the previous period"
            elif fmt is points:
                change = f"{difference:+.0f} on the previous period"
            else:
                change = f"{difference:+.2f} on the previous period"
            if higher_is_better is not None:
                good = (difference > 0) == higher_is_better
    return Card(
        label=label,
        value=fmt(figure.current),  # type: ignore[operator]
        previous=fmt(figure.previous),  # type: ignore[operator]
        change=change,
        direction=direction,
        good=good,
    )


def cards(figures: Figures) -> list[Card]:
    """The headline figures, in the order the dashboard and the digest show them."""
    return [
        _card("Conversations opened", figures.opened, count, higher_is_better=None),
        _card("Conversations solved", figures.solved, count, higher_is_better=True),
        _card("Customer voices scored", figures.voices, count, higher_is_better=None),
        _card("Average sentiment", figures.sentiment, score, higher_is_better=True),
        _card("Negative voices", figures.negative_share, share, higher_is_better=False),
        _card("Praise received", figures.praise, count, higher_is_better=True),
        _card(
            "First response, median",
            figures.first_response_median,
            duration,
            higher_is_better=False,
        ),
        _card(
            "First response, average",
            figures.first_response_average,
            duration,
            higher_is_better=False,
        ),
        _card("Resolution, median", figures.resolution_median, duration, higher_is_better=False),
        _card("Resolution, average", figures.resolution_average, duration, higher_is_better=False),
        # The loyalty headline (recovery/figures.py): what the digest leads with too.
        _card("Customer satisfaction (CSAT)", figures.csat, share, higher_is_better=True),
        _card("Net promoter score (NPS)", figures.nps, points, higher_is_better=True),
        _card("Complainers recovered", figures.recovery_rate, share, higher_is_better=True),
        _card("SLA targets met", figures.sla_attainment, share, higher_is_better=True),
    ]


ChartData = tuple[tuple[str, tuple[float | None, ...]], ...]


# Drawing is a pure function of the numbers, and pygal spends far longer on it than the
# database on the figures (tens of ms per chart). The rollups change at most once a
# minute, so most views of the dashboard draw charts already drawn: keep the last few
# per process, keyed by their numbers (never stale: other numbers, another key).
@lru_cache(maxsize=48)
def _drawn(kind: str, title: str, labels: tuple[str, ...], series: ChartData) -> SafeString:
    data = dict(series)
    if kind == "line":
        return charts.line_chart(title, labels, data)
    return charts.bar_chart(title, labels, data, stacked=True)


def _frozen(series: dict[str, list[float | None]]) -> ChartData:
    return tuple((name, tuple(values)) for name, values in series.items())


def chart_set(figures: Figures) -> dict[str, SafeString]:
    """The three charts, drawn on the server as SVG (everydesk/lib/charts.py)."""
    per = figures.per
    labels = tuple(figures.labels)
    return {
        "by_kind": _drawn(
            "bar",
            f"Conversations opened per {per}, by kind",
            labels,
            _frozen(figures.opened_by_kind),
        ),
        "by_channel": _drawn(
            "bar",
            f"Conversations opened per {per}, by channel",
            labels,
            _frozen(figures.opened_by_channel),
        ),
        "sentiment": _drawn(
            "line",
            f"Average sentiment per {per} (-1 to +1)",
            labels,
            (("Sentiment", tuple(figures.sentiment_trend)),),
        ),
        "satisfaction": _drawn(
            "line",
            f"CSAT (% satisfied) and NPS per {per}",
            labels,
            (
                ("CSAT %", tuple(_percent(v) for v in figures.loyalty.csat_trend)),
                ("NPS", tuple(figures.loyalty.nps_trend)),
            ),
        ),
    }


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def loyalty_rows(figures: Figures) -> list[list[str]]:
    """CSAT and NPS per bar of the satisfaction chart, as text."""
    loyalty = figures.loyalty
    return [
        [label, share(csat), points(nps)]
        for label, csat, nps in zip(
            figures.labels, loyalty.csat_trend, loyalty.nps_trend, strict=True
        )
    ]


forget_drawn_charts = _drawn.cache_clear


def table_rows(figures: Figures) -> list[list[str]]:
    """The charts' numbers, one row per bar: what a screen reader or a printout reads."""
    rows = []
    for i, label in enumerate(figures.labels):
        row = [label]
        row += [count(values[i]) for values in figures.opened_by_kind.values()]
        row += [count(values[i]) for values in figures.opened_by_channel.values()]
        row.append(score(figures.sentiment_trend[i]))
        rows.append(row)
    return rows
