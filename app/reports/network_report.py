"""The network's results on the coordinator's page and on paper: what their templates are given
besides the charts, and the PDF, laid out by the results report's machinery
(`app.reports.results_report.render_pdf`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_datetime
from flask_babel import gettext as _

from app.network.sectors import SECTOR_COLOURS, Sector
from app.reports.charts import PRINT, heat_table
from app.reports.local_years import parse_year
from app.reports.network_charts import month_name, network_charts
from app.reports.network_results import NetworkResults, network_results
from app.reports.network_years import YearRow, network_years
from app.reports.results_report import number, percent, render_pdf
from app.reports.social_value import SocialValue, whole

PDF_CHART_WIDTH = 640  # drawn at the width of the text column (the stylesheet scales SVG to 100 %)


@dataclass(frozen=True)
class NetworkFigures:
    results: NetworkResults  # of the chosen year, or of all years
    years: list[YearRow]  # every year, whichever is chosen
    asked: str  # the year asked for, as given ("" for none)

    @property
    def year(self) -> int | None:
        return self.results.year

    @property
    def unknown_year(self) -> bool:
        """A year was asked for that is no year of the network (or no year at all)."""
        return bool(self.asked.strip()) and self.year is None

    @property
    def period(self) -> str:
        """"2026", or "2024–2026" for all years; "" while the network has no year."""
        if self.year is not None:
            return str(self.year)
        if not self.years:
            return ""
        first, last = self.years[0].year, self.years[-1].year
        return str(first) if first == last else f"{first}–{last}"


def network_figures(asked: object) -> NetworkFigures:
    """The network's results narrowed to the year asked for (`?year=`), if it is one of the
    network's years; else of all years (and `unknown_year` says so)."""
    years = network_years()
    year = parse_year(asked)
    if year not in {y.year for y in years}:
        year = None
    return NetworkFigures(network_results(year), years, asked if isinstance(asked, str) else "")


def template_context(figures: NetworkFigures) -> dict[str, object]:
    """What the page and the PDF use besides the charts."""
    return {"results": figures.results, "years": figures.years, "figures": figures, "sectors": list(Sector),
            "number": number, "percent": percent, "month": month_name,
            "social": SocialValue(figures.results.values), "zloty": whole,
            "when": lambda dt: format_datetime(dt, "d MMMM y") if dt else "",
            "partnership_matrix": partnership_matrix(figures.results)}


def partnership_matrix(results: NetworkResults) -> str:
    """The partnerships' sector × sector table (app/partnerships/counts.py)."""
    return heat_table([str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector],
                      results.partnerships.matrix_rows(), title=_("Partnerships between sectors"), width=720)


def render_network_report(figures: NetworkFigures) -> bytes:
    """The PDF: a title page with the period and the headline figures, then the tables and charts."""
    charts = network_charts(figures.results, figures.years, PRINT, PDF_CHART_WIDTH, picture_width=PDF_CHART_WIDTH)
    return render_pdf("reports/network_report.html", charts=charts, **template_context(figures))
