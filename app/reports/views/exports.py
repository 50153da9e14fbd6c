"""Organiser pages: the fair's exports (tables as CSV and XLSX, the whole fair as JSON)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template
from flask_login import current_user

from app.fairs.access import organiser_required
from app.reports.exports import TABLE_DESCRIPTIONS, TABLE_TITLES, TABLES, ExportFile, export_file
from app.reports.views.blueprint import bp

_TABLE = "any(" + ", ".join(TABLES) + "):table"


def _download(export: ExportFile) -> Response:
    return Response(export.data, mimetype=export.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{export.filename}"',
        "Cache-Control": "no-store",  # personal data: keep it out of caches
    })


@bp.get("/admin/exports")
@organiser_required
def exports(slug: str) -> Any:
    tables = [(key, TABLE_TITLES[key], TABLE_DESCRIPTIONS[key]) for key in TABLES]
    return render_template("reports/exports.html", fair=current_user.fair, tables=tables)


@bp.get(f"/admin/exports/<{_TABLE}>.csv")
@organiser_required
def export_table_csv(slug: str, table: str) -> Any:
    return _download(export_file(current_user.fair, "csv", table))


@bp.get(f"/admin/exports/<{_TABLE}>.xlsx")
@organiser_required
def export_table_xlsx(slug: str, table: str) -> Any:
    return _download(export_file(current_user.fair, "xlsx", table))


@bp.get("/admin/exports/fair.xlsx")
@organiser_required
def export_workbook(slug: str) -> Any:
    return _download(export_file(current_user.fair, "xlsx"))


@bp.get("/admin/exports/fair.json")
@organiser_required
def export_json(slug: str) -> Any:
    return _download(export_file(current_user.fair, "json"))
