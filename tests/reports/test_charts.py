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


def test_network_graph_places_dots_on_a_circle_with_lines_between_them() -> None:
    nasty = '<b>"Łąka" & Co</b>'
    nodes = [charts.Node(1, nasty, "#f5c400", 0, 3), charts.Node(2, "Piekarnia Żak", "#ffffff", 2, 3),
             charts.Node(3, "Spółdzielnia", "#3a9d4a", 3, 1)]
    edges = [charts.Edge(1, 2, 2), charts.Edge(1, 3, 1), charts.Edge(2, 9, 1)]  # 9: not shown, skipped
    svg = str(charts.network_graph(nodes, edges, title="Kto z kim", width=600))
    root = ET.fromstring(svg)
    dots, lines = root.findall(f"{SVG}circle"), root.findall(f"{SVG}path")
    assert len(dots) == 3 and len(lines) == 2
    centres = [(float(d.get("cx")), float(d.get("cy"))) for d in dots]
    radii = {round(((x - 300) ** 2 + (y - 300) ** 2) ** 0.5) for x, y in centres}
    assert len(radii) == 1  # one circle
    widths = sorted(float(line.get("stroke-width")) for line in lines)
    assert widths[0] < widths[1]  # thicker for more agreements
    assert "<b>" not in svg
    empty = ET.fromstring(str(charts.network_graph([], [], title="t", empty="Nic")))
    assert empty.find(f"{SVG}text").text == "Nic"
