"""Figures as people read them: headline cards with the comparison spelt out, and charts.

Shared by the dashboard, the digest email and the PDF, so all three say the same.
"""

from dataclasses import dataclass

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
    ]


def chart_set(figures: Figures) -> dict[str, SafeString]:
    """The three charts, drawn on the server as SVG (everydesk/lib/charts.py)."""
    per = "week" if figures.labels and figures.labels[0].startswith("wk") else "day"
    return {
        "by_kind": charts.bar_chart(
            f"Conversations opened per {per}, by kind",
            figures.labels,
            figures.opened_by_kind,
            stacked=True,
        ),
        "by_channel": charts.bar_chart(
            f"Conversations opened per {per}, by channel",
            figures.labels,
            figures.opened_by_channel,
            stacked=True,
        ),
        "sentiment": charts.line_chart(
            f"Average sentiment per {per} (-1 to +1)",
            figures.labels,
            {"Sentiment": figures.sentiment_trend},
        ),
    }


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
