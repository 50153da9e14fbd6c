"""The network results' charts (app/reports/network_charts.py): months without entries shown as
zeros, every chart well-formed SVG in the user's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from app.network.sectors import Sector
from app.reports.network_charts import every_month, month_name, network_charts
from app.reports.network_results import Month, network_results
from app.reports.network_years import network_years
from tests.reports import network_fair
from tests.reports.network_fair import Network

make_signed_agreement, network = network_fair.make_signed_agreement, network_fair.network  # fixtures
years_network = network_fair.years_network
SVG = "{http://www.w3.org/2000/svg}"


def test_months_without_entries_are_zeros_across_a_new_year() -> None:
    months = every_month([Month("2025-11", 2, 30), Month("2026-02", 1, 5)])
    assert [(m.month, m.entries, m.points) for m in months] == [
        ("2025-11", 2, 30), ("2025-12", 0, 0), ("2026-01", 0, 0), ("2026-02", 1, 5)]
    assert every_month([]) == [] and every_month([Month("2026-03", 1, 1)]) == [Month("2026-03", 1, 1)]


def test_every_chart_of_the_network(years_network: Network, app: Any) -> None:
    with app.test_request_context():
        charts = network_charts(network_results(), network_years())
        assert month_name("2026-02") == "luty 2026"
    columns = ET.fromstring(str(charts.members_by_year))
    titles = [t.text for r in columns.iter(f"{SVG}rect") if (t := r.find(f"{SVG}title")) is not None]
    assert "Spółdzielnia socjalna: 1 członek" in titles and "Firma: 2 członków" in titles
    assert {"2025", "2026", "Organizacja pozarządowa"} <= {t.text for t in columns.iter(f"{SVG}text")}
    entries = ET.fromstring(str(charts.entries))
    assert len([r for r in entries.iter(f"{SVG}rect")]) == 2  # February and March 2026
    assert charts.shown == 4 and len(ET.fromstring(str(charts.picture)).findall(f"{SVG}circle")) == 4
    matrix = ET.fromstring(str(charts.matrix))
    assert matrix.find(f"{SVG}title").text == "Kto z kim zawierał umowy"
    assert len(list(Sector)) ** 2 <= len(list(matrix.iter(f"{SVG}rect")))
