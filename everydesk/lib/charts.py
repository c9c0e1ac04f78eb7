"""Charts drawn on the server as inline SVG (pygal), for pages, email previews and PDFs.

No script is embedded (pygal's tooltips load JavaScript from elsewhere, which the
Content-Security-Policy forbids and a PDF cannot run): each value is printed on the
chart or in the table beside it instead.
"""

import re
from collections.abc import Mapping, Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

Series = Mapping[str, Sequence[float | None]]

# pygal always writes its settings into a <script>, even with no JavaScript to load.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#999",
    colors=("#2f6fdf", "#d9534f", "#5cb85c", "#f0ad4e", "#8e6bbf", "#5bc0de", "#777"),
    font_family="system-ui, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
    value_font_size=10,
)


# Series that mean the same thing keep their colour on every chart: a complaint is
# never drawn in praise's green. Other series take the palette in order.
MEANINGFUL_COLOURS = {
    "complaint": "#d9534f",
    "negative": "#d9534f",
    "praise": "#5cb85c",
    "positive": "#5cb85c",
    "question": "#2f6fdf",
    "idea": "#8e6bbf",
    "other": "#999",
    "neutral": "#999",
}


def _style(names: Sequence[str]) -> Style:
    spare = iter(c for c in STYLE.colors if c not in MEANINGFUL_COLOURS.values())
    colours = []
    for name in names:
        meaning = MEANINGFUL_COLOURS.get(name.lower())
        colours.append(meaning or next(spare, "#777"))
    style = Style(**{k: v for k, v in STYLE.__dict__.items() if k != "colors"})
    style.colors = tuple(colours) or STYLE.colors
    return style


def _config(title: str, width: int, height: int, names: Sequence[str]) -> dict[str, object]:
    return {
        "title": title,
        "style": _style(names),
        "js": [],
        "disable_xml_declaration": True,
        "width": width,
        "height": height,
        "explicit_size": False,  # scales with its box; the viewBox keeps the ratio
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "show_y_guides": True,
        "no_data_text": "No data in this period",
        "truncate_label": 14,
    }


def _render(chart: pygal.graph.graph.Graph, labels: Sequence[str], series: Series) -> SafeString:
    chart.x_labels = list(labels)
    # Long series keep every fifth label, so dates stay readable.
    if len(labels) > 14:
        chart.x_labels_major_every = max(1, len(labels) // 7)
        chart.show_minor_x_labels = False
    for name, values in series.items():
        chart.add(name, list(values))
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # pygal escapes every label and value it draws, so the markup is safe to embed.
    return mark_safe(svg)  # noqa: S308


def line_chart(
    title: str, labels: Sequence[str], series: Series, *, width: int = 640, height: int = 260
) -> SafeString:
    """A line per series over the labels (e.g. days); None leaves a gap."""
    chart = pygal.Line(
        **_config(title, width, height, list(series)), dots_size=2, allow_interruptions=True
    )
    return _render(chart, labels, series)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    stacked: bool = False,
    horizontal: bool = False,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Bars per label; stacked to show a whole split into parts (e.g. volume by kind)."""
    kind = {
        (False, False): pygal.Bar,
        (True, False): pygal.StackedBar,
        (False, True): pygal.HorizontalBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(stacked, horizontal)]
    chart = kind(**_config(title, width, height, list(series)), print_values=not stacked)
    return _render(chart, labels, series)
