"""The network's results across fairs, for the network's coordinator (an organiser marked as the
network's coordinator, as for the ledger's network totals)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, render_template
from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.core.output.spreadsheets import XLSX_MIMETYPE, csv_bytes, xlsx_bytes
from app.fairs.access import organiser_required
from app.ledger.permissions import require_network_admin
from app.network.sectors import SECTOR_COLOURS, Sector
from app.reports import charts
from app.reports.network_results import NetworkResults, fairs_sheet, network_results
from app.reports.results_report import number, percent
from app.reports.views.blueprint import bp

SECTOR_ORDER = {s: i for i, s in enumerate(Sector)}


def _month(key: str) -> str:
    """"2026-02" as the month's name and year ("luty 2026")."""
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "LLLL y")


def _agreements(n: int) -> str:
    return ngettext("%(num)d agreement", "%(num)d agreements", n)


def network_picture(results: NetworkResults, width: float = 760) -> Markup:
    """The members with the most agreements on a circle, grouped by sector; a line for each
    pair of them with agreements together, thicker for more."""
    members, pairs = results.graph()
    members.sort(key=lambda m: (SECTOR_ORDER[m[0].sector], m[0].name.casefold(), m[0].id))
    nodes = [charts.Node(m.id, m.name, m.colour, SECTOR_ORDER[m.sector], degree) for m, degree in members]
    edges = [charts.Edge(p.a.id, p.b.id, p.agreements) for p in pairs]
    return charts.network_graph(nodes, edges, title=_("Who exchanges with whom"), width=width,
                                empty=_("No agreements yet."), weight_label=_agreements)


@bp.get("/admin/network/results")
@organiser_required
def network_results_page(slug: str) -> Any:
    require_network_admin(current_user)
    results = network_results()
    shown, _pairs = results.graph()
    matrix = charts.heat_table(
        [str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector], results.matrix_rows,
        title=_("Who closed agreements with whom"), width=720)
    partnership_matrix = charts.heat_table(
        [str(s.label) for s in Sector], [SECTOR_COLOURS[s] for s in Sector], results.partnerships.matrix_rows(),
        title=_("Partnerships between sectors"), width=720)
    return render_template(
        "reports/network_results.html", fair=current_user.fair, results=results, sectors=list(Sector),
        picture=network_picture(results), matrix=matrix, partnership_matrix=partnership_matrix, shown=len(shown),
        number=number, percent=percent,
        when=lambda dt: format_datetime(dt, "d MMMM y") if dt else "", month=_month)


def _download(data: bytes, mimetype: str, extension: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="network-fairs.{extension}"',
        "Cache-Control": "private, no-cache"})


@bp.get("/admin/network/results/fairs.csv")
@organiser_required
def network_results_csv(slug: str) -> Any:
    require_network_admin(current_user)
    return _download(csv_bytes(fairs_sheet(network_results())), "text/csv; charset=utf-8", "csv")


@bp.get("/admin/network/results/fairs.xlsx")
@organiser_required
def network_results_xlsx(slug: str) -> Any:
    require_network_admin(current_user)
    return _download(xlsx_bytes([fairs_sheet(network_results())]), XLSX_MIMETYPE, "xlsx")
