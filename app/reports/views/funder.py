"""The funder's report (app/reports/funder_report.py) as PDF and XLSX: a fair's, for its
organisers; the network's, of all years or one (`?year=2026`), for the network's coordinator (as
the network's results). A year that is none (`?year=20x6`) is answered 400, a year without fairs
or agreements 422, each on the error page with a sentence saying why."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, request, send_file
from flask_login import current_user

from app.core.output.spreadsheets import XLSX_MIMETYPE
from app.fairs.access import organiser_required
from app.ledger.permissions import require_network_admin
from app.reports.funder_pdf import render_funder_pdf
from app.reports.funder_report import FunderReport, asked_year, fair_report, network_report
from app.reports.funder_xlsx import funder_xlsx
from app.reports.views.blueprint import bp


def _name(report: FunderReport, extension: str) -> str:
    who = report.slug or f"network-{report.year or 'all'}"
    return f"funder-report-{who}-{report.generated_at:%Y%m%d-%H%M}.{extension}"


def _pdf(report: FunderReport) -> Response:
    response = send_file(io.BytesIO(render_funder_pdf(report)), mimetype="application/pdf",
                         download_name=_name(report, "pdf"))
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _xlsx(report: FunderReport) -> Response:
    return Response(funder_xlsx(report), mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{_name(report, "xlsx")}"',
        "Cache-Control": "private, no-cache"})


def _network() -> FunderReport:
    require_network_admin(current_user)
    return network_report(asked_year(request.args.get("year", "")))


@bp.get("/admin/results/funder-report.pdf")
@organiser_required
def funder_report_pdf(slug: str) -> Any:
    return _pdf(fair_report(current_user.fair))


@bp.get("/admin/results/funder-report.xlsx")
@organiser_required
def funder_report_xlsx(slug: str) -> Any:
    return _xlsx(fair_report(current_user.fair))


@bp.get("/admin/network/funder-report.pdf")
@organiser_required
def network_funder_report_pdf(slug: str) -> Any:
    return _pdf(_network())


@bp.get("/admin/network/funder-report.xlsx")
@organiser_required
def network_funder_report_xlsx(slug: str) -> Any:
    return _xlsx(_network())
