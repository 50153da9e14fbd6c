"""The results report's charts (app/reports/results_report.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from flask_babel import force_locale

from app.reports.results import fair_results
from app.reports.results_report import result_charts
from tests.reports import results_fair
from tests.reports.results_fair import NOW, Scripted

make_signed_agreement, scripted = results_fair.make_signed_agreement, results_fair.scripted  # fixtures

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) if t.find(f"{SVG}title") is None else (t.find(f"{SVG}title").tail or "")
            for t in root.iter(f"{SVG}text")]


def test_charts_of_the_scripted_fair(app: Any, scripted: Scripted) -> None:
    with app.test_request_context(), force_locale("pl"):
        r = fair_results(scripted.fair, now=NOW)
        made = result_charts(r)
    organisations = texts(str(made.organisations))
    assert organisations[:2] == ["Organizacja pozarządowa", "3"]
    assert "Spółdzielnia socjalna" in organisations and "Mieszkaniec" in organisations[-2]
    categories = texts(str(made.categories))
    assert categories[:2] == ["Oferty", "Potrzeby"]
    assert categories[2:5] == ["Sale i pomieszczenia", "2", "1"]
    matrix = ET.fromstring(str(made.matrix))
    cells = [t.text for t in matrix.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert cells == [str(v) for row in r.matrix_rows() for v in row]
    timeline = texts(str(made.timeline))
    assert "10:00" in timeline and "10:10" in timeline  # local clock times under the bars
    assert "2" in timeline
    fulfilment = texts(str(made.fulfilment))
    assert "22%" in fulfilment or "22 %" in fulfilment  # the last value: 2 of 9
    assert "dni od giełdy" in fulfilment
    for svg in vars(made).values():  # fills are sector colours or chart colours, never text
        for el in ET.fromstring(str(svg)).iter():
            if "fill" in el.attrib:
                assert el.attrib["fill"] == "none" or el.attrib["fill"].startswith("#")


def test_sector_colours_in_the_bar_chart(app: Any, scripted: Scripted) -> None:
    with app.test_request_context():
        made = result_charts(fair_results(scripted.fair, now=NOW))
    fills = [r.attrib["fill"] for r in ET.fromstring(str(made.organisations)).iter(f"{SVG}rect")]
    assert fills == ["#f5c400", "#2f6fbf", "#ffffff", "#3a9d4a", "#e0702a", "#8e5bb5"]
