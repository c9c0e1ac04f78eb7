"""Server-drawn charts: inline SVG that shows the data and runs no script."""

import re

from everydesk.lib.charts import bar_chart, line_chart


def test_line_chart_is_inline_svg_without_scripts():
    svg = line_chart("Volume", ["Mon", "Tue", "Wed"], {"complaints": [3, 5, None]})
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<script" not in svg
    assert "Volume" in svg and "complaints" in svg and "Tue" in svg


def test_labels_from_customers_are_escaped():
    svg = bar_chart("Topics", ["<b>lid</b>"], {"count": [2]}, horizontal=True)
    assert "<b>lid</b>" not in svg
    assert "&lt;b&gt;lid&lt;/b&gt;" in svg


def test_an_empty_period_says_so():
    assert "No data in this period" in line_chart("Empty", [], {})


def test_praise_is_green_and_complaints_red_whatever_the_order():
    svg = bar_chart("Kinds", ["Mon"], {"Praise": [1], "Other": [2], "Complaint": [3]})
    # pygal styles series n through the class .color-n
    colours = dict(re.findall(r"\.color-(\d)[^{]*\{[^}]*?(#[0-9a-f]{3,6})", svg))
    assert colours == {"0": "#5cb85c", "1": "#999", "2": "#d9534f"}
