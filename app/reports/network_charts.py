"""The charts of the network's results, in the user's language: the same SVG on the coordinator's
page (LIGHT) and in the PDF (PRINT)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from app.network.sectors import SECTOR_COLOURS, Sector
from app.reports import charts
from app.reports.charts import LIGHT, Bin, Series, Theme
from app.reports.column_charts import Stack, stacked_columns
from app.reports.network_results import Month, NetworkResults
from app.reports.network_years import YearRow
from app.reports.results_report import number

SECTOR_ORDER = {s: i for i, s in enumerate(Sector)}


@dataclass(frozen=True)
class NetworkCharts:
    picture: Markup  # who exchanges with whom
    shown: int  # members in the picture
    matrix: Markup
    members_by_year: Markup
    entries: Markup  # per month
    points: Markup  # per month


def month_name(key: str) -> str:
    """"2026-02" as the month's name and year ("luty 2026")."""
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "LLLL y")


def _short_month(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "LLL y")


def every_month(months: list[Month]) -> list[Month]:
    """The months from the first to the last, those without entries as zeros (a gap in time shows)."""
    if not months:
        return []
    found = {m.month: m for m in months}
    year, month = (int(part) for part in months[0].month.split("-"))
    out: list[Month] = []
    while not out or out[-1].month != months[-1].month:
        key = f"{year:04d}-{month:02d}"
        out.append(found.get(key, Month(key, 0, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _agreements(n: int) -> str:
    return ngettext("%(num)d agreement", "%(num)d agreements", n)


def _members(n: float) -> str:
    return ngettext("%(num)d member", "%(num)d members", int(n))


def network_picture(results: NetworkResults, theme: Theme = LIGHT, width: float = 760) -> tuple[Markup, int]:
    """The members with the most agreements on a circle, grouped by sector; a line for each
    pair of them with agreements together, thicker for more. With how many members it shows."""
    members, pairs = results.graph()
    members.sort(key=lambda m: (SECTOR_ORDER[m[0].sector], m[0].name.casefold(), m[0].id))
    nodes = [charts.Node(m.id, m.name, m.colour, SECTOR_ORDER[m.sector], degree) for m, degree in members]
    edges = [charts.Edge(p.a.id, p.b.id, p.agreements) for p in pairs]
    return charts.network_graph(nodes, edges, title=_("Who exchanges with whom"), theme=theme, width=width,
                                empty=_("No agreements yet."), weight_label=_agreements), len(members)


def network_charts(results: NetworkResults, years: list[YearRow], theme: Theme = LIGHT, width: float = 640,
                   legend: bool = True, picture_width: float = 760) -> NetworkCharts:
    """Every chart of the network's results: the picture and the matrix of `results` (one year's or
    all), members per sector for every year, entries and points per month of `results`. `legend`:
    the sectors' legend inside the chart of members (the page shows its own, which wraps on a phone)."""
    picture, shown = network_picture(results, theme, picture_width)
    months = every_month(results.per_month)
    return NetworkCharts(
        picture=picture, shown=shown,
        matrix=charts.heat_table(
            [str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector], results.matrix_rows,
            title=_("Who closed agreements with whom"), theme=theme, width=720),
        members_by_year=stacked_columns(
            [Stack(str(y.year), tuple(y.by_sector.get(s, 0) for s in Sector)) for y in years],
            [Series(str(s.label), SECTOR_COLOURS[s]) for s in Sector],
            title=_("Members at the fairs by sector, year by year"), theme=theme, width=width,
            value_format=number, series_label=_members, empty=_("No fairs yet."), legend=legend),
        entries=charts.histogram(
            [Bin(_short_month(m.month), m.entries) for m in months], title=_("Ledger entries per month"),
            theme=theme, width=width, height=220, empty=_("No entries yet.")),
        points=charts.histogram(
            [Bin(_short_month(m.month), m.points) for m in months], title=_("Points moved per month"),
            theme=theme, width=width, height=220, colour=charts.OFFER_LIGHT, empty=_("No entries yet.")),
    )
