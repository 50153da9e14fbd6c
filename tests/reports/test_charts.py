"""The SVG charts (app/reports/charts.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & Co'
    svg = charts.bar_chart([charts.Bar(nasty, 3, "#f5c400")], title=nasty)
    root = ET.fromstring(str(svg))
    assert root.find(f"{SVG}title").text == nasty
    assert "<script>" not in str(svg)
    grouped = charts.grouped_bar_chart([charts.Group(nasty, (1, 2))], [charts.Series("a&b", "#000000"),
                                                                       charts.Series("<c>", "#ffffff")],
                                       title="t")
    ET.fromstring(str(grouped))
    table = charts.heat_table([nasty, "b"], ["#000", "#fff"], [[1, 0], [0, 2]], title="t")
    ET.fromstring(str(table))
    with pytest.raises(ValueError):
        charts.bar_chart([charts.Bar("x", 1, 'red" onload="x')], title="t")


def test_histogram_and_line_chart_shapes() -> None:
    bins = [charts.Bin(f"{10 + i // 6}:{i % 6}0", i % 4) for i in range(48)]
    svg = ET.fromstring(str(charts.histogram(bins, title="t")))
    bars = [r for r in svg.iter(f"{SVG}rect")]
    assert len(bars) == 48
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and ":" in t.text]
    assert 1 < len(labels) < 48  # not every label has room
    line = ET.fromstring(str(charts.line_chart([charts.Point(0, 0.1), charts.Point(3, 0.5)], title="t",
                                               y_format=lambda v: f"{v:.0%}")))
    assert line.find(f"{SVG}polyline") is not None
    assert "50%" in [t.text for t in line.iter(f"{SVG}text")]
    assert charts.nice_step(7) == 2 and charts.nice_step(3) == 1 and charts.nice_step(160) == 50
