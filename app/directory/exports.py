"""What the directory gives out about its members: the summary of one (the API's list, the JSON
export), and the list as a table for CSV and XLSX (through the app's one writer,
app/core/output/spreadsheets.py, which neutralises formula-like cells)."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _

from app.core.output.spreadsheets import XLSX_MIMETYPE, Sheet, csv_bytes, xlsx_bytes
from app.core.web.urls import public_page_url
from app.directory.queries import DirectoryFilters
from app.network.models import Member

FILENAME = "czlonkowie-sieci"  # "network members": the name people save the file under
MIMETYPES = {"csv": "text/csv", "xlsx": XLSX_MIMETYPE, "json": "application/json"}


def profile_url(member: Member) -> str:
    return public_page_url("directory.member", member_id=member.id)


def member_summary(member: Member) -> dict[str, Any]:
    """A public member as the API's list and the JSON export give it."""
    return {"id": member.id, "name": member.name, "sector": member.sector.value,
            "branch": member.branch.value if member.branch else None, "city": member.city,
            "website": member.website, "description": member.description, "url": profile_url(member)}


def members_sheet(members: list[Member]) -> Sheet:
    return Sheet(_("Network members"),
                 [_("ID"), _("Name"), _("Sector"), _("Branch"), _("Place"), _("Website"), _("Description"),
                  _("Profile")],
                 [[m.id, m.name, str(m.sector.label), str(m.branch.label) if m.branch else "", m.city, m.website,
                   m.description, profile_url(m)] for m in members])


def members_file(members: list[Member], kind: str, filters: DirectoryFilters) -> bytes:
    """The list as a file: `kind` is csv, xlsx or json."""
    if kind == "csv":
        return csv_bytes(members_sheet(members))
    if kind == "xlsx":
        return xlsx_bytes([members_sheet(members)])
    if kind == "json":
        return json.dumps({"filters": filters.args(), "total": len(members),
                           "members": [member_summary(m) for m in members]}, ensure_ascii=False).encode("utf-8")
    raise ValueError(kind)
