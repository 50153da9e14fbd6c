"""The funder's report on paper: its charts (server-rendered SVG, as the results report's) and the
PDF, laid out by the results report's machinery (`app.reports.results_report.render_pdf`: A4,
our own font, page numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_datetime, format_decimal, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from app.agreements.feedback import RATINGS
from app.network.sectors import SECTOR_COLOURS, Sector
from app.reports import charts
from app.reports.charts import PRINT, Bar, Group, Point, Series, Theme
from app.reports.funder_report import FunderReport, Scope, Step, sections
from app.reports.results_report import TYPICAL_FULFILMENT, number, percent, render_pdf
from app.valuation.kinds import RateKey
from app.valuation.money import round_zloty, zloty

CHART_WIDTH = 640  # drawn at the width of the text column (the stylesheet scales SVG to 100 %)
PLEDGED, REALISED = "#7fb8a4", charts.OFFER_LIGHT


@dataclass(frozen=True)
class FunderCharts:
    organisations: Markup
    people: Markup
    fulfilment: Markup
    value_by_category: Markup
    value_by_sector: Markup
    matrix: Markup
    partnerships: Markup
    ratings: Markup


def money(grosze: int) -> str:
    """Whole złoty that never break before "zł": '1 234 zł'."""
    return zloty(grosze, whole=True).replace(" zł", "\u00a0zł")


def whole_zloty(value: float) -> str:
    """A chart's value, already in whole złoty: '1 234 zł'."""
    return money(int(value) * 100)


def stars(n: int) -> str:
    """'5 stars', '1 star': one of the ratings 1–5."""
    return ngettext("%(num)d star", "%(num)d stars", n)


def average(value: float | None) -> str:
    """An average rating: '4,3' ('—' without one)."""
    return format_decimal(value, format="0.0") if value is not None else "—"


def month_label(day: date) -> str:
    return format_date(day, "LLL y")


def step_label(report: FunderReport, index: int) -> str:
    """'week 3', or the month's short name ('mar 2026')."""
    if report.step is Step.WEEK:
        return _("week %(num)d", num=index)
    found = [s.ends_on for s in report.fulfilment if s.index == index]
    return month_label(found[0]) if found else ""


def funder_charts(report: FunderReport, theme: Theme = PRINT, width: float = CHART_WIDTH) -> FunderCharts:
    sectors = report.sectors
    value_series = [Series(_("Pledged"), PLEDGED), Series(_("Realised"), REALISED)]
    months = report.step is Step.MONTH
    return FunderCharts(
        organisations=charts.bar_chart(
            [Bar(s.label, s.organisations, s.colour) for s in sectors],
            title=_("Members by sector") if report.scope is Scope.NETWORK else _("Organisations by sector"),
            theme=theme, width=width, value_format=number),
        people=charts.bar_chart([Bar(s.label, s.people, s.colour) for s in sectors], title=_("People by sector"),
                                theme=theme, width=width, value_format=number),
        fulfilment=charts.line_chart(
            [Point(s.index, s.rate) for s in report.fulfilment],
            title=_("Share of obligations confirmed, by month") if months
            else _("Share of obligations confirmed, week by week"),
            theme=theme, width=width, y_format=percent,
            x_format=(lambda x: step_label(report, int(x))) if months else charts.plain,
            x_caption="" if months else _("weeks since the fair"),
            reference=(TYPICAL_FULFILMENT, _("usual at fairs: %(rate)s", rate=percent(TYPICAL_FULFILMENT))),
            empty=_("No obligations to confirm yet.") if report.closed else _("Shown once trading is closed.")),
        value_by_category=charts.grouped_bar_chart(
            [Group(label, (round_zloty(row.pledged), round_zloty(row.realised)))
             for label, row in report.value.by_category.items()],
            value_series, title=_("Social value by category"), theme=theme, width=width, value_format=whole_zloty,
            empty=_("No agreements yet.")),
        value_by_sector=charts.grouped_bar_chart(
            [Group(str(s.label), (round_zloty(report.value.by_giver_sector[s.value].pledged),
                                  round_zloty(report.value.by_giver_sector[s.value].realised))) for s in Sector],
            value_series, title=_("Social value by the giver's sector"), theme=theme, width=width,
            value_format=whole_zloty),
        matrix=charts.heat_table(
            [str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector], report.matrix_rows(),
            title=_("Agreements between sectors"), theme=theme, width=720),
        partnerships=charts.heat_table(
            [str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector],
            report.partnerships.matrix_rows(), title=_("Partnerships between sectors"), theme=theme, width=720),
        ratings=charts.bar_chart(
            [Bar(stars(n), report.ratings.distribution.get(n, 0), theme.accent) for n in reversed(RATINGS)],
            title=_("Ratings"), theme=theme, width=width, value_format=number),
    )


@dataclass(frozen=True)
class RateRow:
    label: str  # what it is counted in: 'Basic help, per hour'
    amount: str  # '28,61 zł'


def rate_rows(rates: dict[RateKey, int]) -> list[RateRow]:
    return [RateRow(str(key.label), zloty(rates[key]).replace(" zł", "\u00a0zł")) for key in RateKey if key in rates]


def combination_label(key: str) -> str:
    """'ngo+public' as 'NGO + Public institution'."""
    return " + ".join(str(Sector(part).label) for part in key.split("+") if part in Sector._value2member_map_)


def template_context(report: FunderReport) -> dict[str, object]:
    """What the report's template uses besides the charts."""
    return {"report": report, "sections": {s.key: s for s in sections(report)}, "sectors": list(Sector),
            "number": number, "percent": percent, "money": money, "rates": rate_rows(report.rates),
            "combination": combination_label, "step_label": lambda i: step_label(report, i), "stars": stars,
            "average": average, "ratings": list(reversed(RATINGS)),
            "when": lambda dt: format_datetime(dt, "d MMMM y, HH:mm") if dt else "",
            "day": lambda d: format_date(d, "d MMMM y") if d else ""}


def render_funder_pdf(report: FunderReport) -> bytes:
    """A title page with the headline figures, then a page or two per section."""
    return render_pdf("reports/funder_report.html", charts=funder_charts(report), **template_context(report))
