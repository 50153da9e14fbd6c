"""The network's results across fairs, for the network's coordinator (an organiser marked as the
network's coordinator, as for the ledger's network totals): the page (of all years or one,
`?year=2026`), the same as a PDF, and the per-fair table as CSV and XLSX (of the same year)."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, render_template, request, send_file, url_for
from flask_login import current_user

from app.core.output.spreadsheets import XLSX_MIMETYPE, csv_bytes, xlsx_bytes
from app.fairs.access import organiser_required
from app.ledger.permissions import require_network_admin
from app.reports.network_charts import network_charts
from app.reports.network_report import network_figures, render_network_report, template_context
from app.reports.network_results import fairs_sheet
from app.reports.views.blueprint import bp

PAGE_CHART_WIDTH = 480  # drawn narrow: on a phone, scaled down less, the labels stay legible


@bp.get("/admin/network/results")
@organiser_required
def network_results_page(slug: str) -> Any:
    require_network_admin(current_user)
    figures = network_figures(request.args.get("year", ""))
    return render_template("reports/network_results.html", fair=current_user.fair,
                           charts=network_charts(figures.results, figures.years, width=PAGE_CHART_WIDTH, legend=False),
                           rates_url=url_for("valuation.rates", slug=slug), **template_context(figures))


@bp.get("/admin/network/results.pdf")
@organiser_required
def network_results_pdf(slug: str) -> Any:
    require_network_admin(current_user)
    figures = network_figures(request.args.get("year", ""))
    name = f"network-results-{figures.year or 'all'}-{figures.results.generated_at:%Y%m%d-%H%M}.pdf"
    response = send_file(io.BytesIO(render_network_report(figures)), mimetype="application/pdf",
                         download_name=name)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _download(data: bytes, mimetype: str, extension: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="network-fairs.{extension}"',
        "Cache-Control": "private, no-cache"})


@bp.get("/admin/network/results/fairs.csv")
@organiser_required
def network_results_csv(slug: str) -> Any:
    require_network_admin(current_user)
    results = network_figures(request.args.get("year", "")).results
    return _download(csv_bytes(fairs_sheet(results)), "text/csv; charset=utf-8", "csv")


@bp.get("/admin/network/results/fairs.xlsx")
@organiser_required
def network_results_xlsx(slug: str) -> Any:
    require_network_admin(current_user)
    results = network_figures(request.args.get("year", "")).results
    return _download(xlsx_bytes([fairs_sheet(results)]), XLSX_MIMETYPE, "xlsx")
