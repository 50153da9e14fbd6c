"""Stacked columns as SVG (app/reports/column_charts.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.reports.charts import Series
from app.reports.column_charts import Stack, stacked_columns

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [Series("NGO & co", "#f5c400"), Series("<Business>", "#ffffff"), Series("Resident", "#8e5bb5")]


def test_a_column_per_stack_a_segment_per_value_and_the_total_on_top() -> None:
    svg = ET.fromstring(str(stacked_columns([Stack("2025", (3, 0, 2)), Stack("2026", (1, 4, 0))], SERIES,
                                            title="Members")))
    segments = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [r.find(f"{SVG}title").text for r in segments] == [
        "NGO & co: 3", "Resident: 2", "NGO & co: 1", "<Business>: 4"]  # no segment for a zero
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"5", "2025", "2026", "NGO & co", "<Business>"} <= set(texts)  # totals, years, the legend
    # Segments pile up: the second segment of 2025 sits right on top of the first.
    first, second = segments[0], segments[1]
    top_of_first = float(second.get("y")) + float(second.get("height"))
    assert top_of_first == pytest.approx(float(first.get("y")), abs=0.15)  # coordinates keep one decimal


def test_the_legend_can_be_left_to_the_page_and_totals_that_do_not_fit_are_left_out() -> None:
    stacks = [Stack(str(2000 + i), (1_234_567, 2_345_678, 0)) for i in range(30)]
    svg = ET.fromstring(str(stacked_columns(stacks, SERIES, title="t", width=320, legend=False)))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "NGO & co" not in texts
    assert "3580245" not in texts  # thirty columns on 320 points: no room for a seven-digit total
    years = [t for t in texts if t in {s.label for s in stacks}]
    assert years[0] == "2000" and 1 < len(years) < 30  # not every year's label has room


def test_no_stacks_is_a_message() -> None:
    svg = ET.fromstring(str(stacked_columns([], SERIES, title="t", empty="No fairs yet.")))
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["No fairs yet."]
