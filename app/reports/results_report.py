"""The results as pictures and paper: the charts of a fair's results (in the user's language) and
the PDF report, laid out by WeasyPrint from our own files only."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import render_template
from flask_babel import format_date, format_datetime, format_number, format_percent, format_time
from flask_babel import gettext as _
from markupsafe import Markup

from app.core.output.pdf import PdfBuilder
from app.network.sectors import SECTOR_COLOURS, Sector
from app.reports import charts
from app.reports.charts import DARK, LIGHT, PRINT, Bar, Bin, Group, Point, Series, Theme
from app.reports.results import Results, headline
from app.reports.social_value import SocialValue, social_value_chart, whole

STYLESHEET = "css/results-report.css"
TYPICAL_FULFILMENT = 0.7  # the method's experience: about 70 % of agreements get fulfilled


@dataclass(frozen=True)
class ResultCharts:
    organisations: Markup
    people: Markup
    categories: Markup
    matrix: Markup
    timeline: Markup
    fulfilment: Markup
    social_value: Markup


def percent(value: float) -> str:
    return format_percent(value)


def number(value: float) -> str:
    return format_number(int(value)) if float(value).is_integer() else format_number(value)


def result_charts(results: Results, theme: Theme = LIGHT, width: float = 640, compact: bool = False
                  ) -> ResultCharts:
    """`compact`: labels above the bars, for narrow charts that must stay readable on a phone."""
    offer, need = (charts.OFFER_DARK, charts.NEED_DARK) if theme is DARK else (charts.OFFER_LIGHT,
                                                                              charts.NEED_LIGHT)
    sectors = results.sectors
    posted = [c for c in results.categories if c.posts]
    return ResultCharts(
        organisations=charts.bar_chart(
            [Bar(s.label, s.organisations, s.colour) for s in sectors], title=_("Organisations by sector"),
            theme=theme, width=width, value_format=number, labels_above=compact),
        people=charts.bar_chart(
            [Bar(s.label, s.participants, s.colour) for s in sectors], title=_("People by sector"),
            theme=theme, width=width, value_format=number, labels_above=compact),
        categories=charts.grouped_bar_chart(
            [Group(c.name, (c.offers, c.needs)) for c in posted],
            [Series(_("Offers"), offer), Series(_("Needs"), need)],
            title=_("Offers and needs by category"), theme=theme, width=width, value_format=number,
            empty=_("No offers or needs were posted."), labels_above=compact),
        matrix=charts.heat_table(
            [str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector], results.matrix_rows(),
            title=_("Who closed agreements with whom"), theme=theme, width=max(width * 1.2, 720),
            row_height=3.0 if theme is DARK else 2.3),
        timeline=charts.histogram(
            [Bin(format_time(b.start, "HH:mm"), b.agreements) for b in results.timeline],
            title=_("Agreements per %(minutes)d minutes of trading", minutes=results.bucket_minutes),
            theme=theme, width=width, empty=_("Trading has not started yet.")),
        fulfilment=charts.line_chart(
            [Point(d.day, d.rate) for d in results.fulfilment], title=_("Fulfilment rate since the fair"),
            theme=theme, width=width, y_format=percent, x_caption=_("days since the fair"),
            reference=(TYPICAL_FULFILMENT, _("usual at fairs: %(rate)s", rate=percent(TYPICAL_FULFILMENT))),
            empty=_("Shown once trading is closed.")),
        social_value=social_value_chart(SocialValue(results.values), theme, width, compact),
    )


def template_context(results: Results) -> dict[str, object]:
    """What the results templates (page, report, reveal) use besides the charts."""
    return {"results": results, "headline": headline(results), "number": number, "percent": percent,
            "social": SocialValue(results.values), "zloty": whole,
            "when": lambda dt: format_datetime(dt, "d MMMM y, HH:mm") if dt else "",
            "day": lambda d: format_date(d, "d MMMM y") if d else "",
            "clock": lambda dt: format_time(dt, "HH:mm") if dt else ""}


def render_pdf(template: str, **context: object) -> bytes:
    """A report template laid out as a PDF with the reports' stylesheet (A4, our own font, page
    numbers): this report, and the network's results (app/reports/network_report.py)."""
    builder = PdfBuilder(STYLESHEET)
    builder.add(render_template(template, **context))
    out = io.BytesIO()
    builder.write(out)
    return out.getvalue()


def render_report(results: Results) -> bytes:
    """The PDF report: a title page with the headline, then the figures and the same charts."""
    return render_pdf("reports/report.html", charts=result_charts(results, PRINT), **template_context(results))
