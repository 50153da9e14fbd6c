"""The directory's public pages (no login): the list of members with a public profile, a member's
profile, the network's member counts by year, and the list as CSV, XLSX and JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template, request

from app.core.i18n import LOCAL_ZONE
from app.core.web.inputs import db_int
from app.directory.exports import FILENAME, MIMETYPES, members_file
from app.directory.queries import (
    PAGE_SIZE,
    DirectoryFilters,
    member_counts_by_year,
    member_profile,
    public_members,
    public_places,
    search_members,
    sector_counts,
)
from app.network.sectors import Branch
from app.partnerships.counts import counts_per_year, partnership_counts
from app.partnerships.queries import active_partnerships_of

bp = Blueprint("directory", __name__, url_prefix="/network")


def _filters() -> DirectoryFilters:
    return DirectoryFilters.parse(request.args.get("q", ""), request.args.get("sector", ""),
                                  request.args.get("branch", ""), request.args.get("place", ""))


def website_href(website: str) -> str | None:
    """A member's website as a link: http(s) only (a bare host gets https://); None when it is
    no web address (it is then shown as text)."""
    text = website.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc and "." in parts.netloc else None


@bp.get("/members")
def members() -> Any:
    filters = _filters()
    found = search_members(filters, request.args.get("page", 1, type=db_int), PAGE_SIZE)
    return render_template("directory/members.html", found=found, filters=filters, counts=sector_counts(filters),
                           places=public_places(), branches=list(Branch),
                           website_href=website_href)


@bp.get("/members/<int:member_id>")
def member(member_id: int) -> Any:
    profile = member_profile(member_id)  # NotFound unless the member is in the directory
    return render_template("directory/member.html", profile=profile, website_href=website_href,
                           partnerships=active_partnerships_of(profile.member.id))


@bp.get("/members/stats")
def stats() -> Any:
    years = member_counts_by_year()
    this_year = datetime.now(UTC).astimezone(LOCAL_ZONE).year
    return render_template("directory/stats.html", years=years, branches=list(Branch),
                           partnership_years=counts_per_year(this_year), partnerships=partnership_counts())


def _download(kind: str) -> Response:
    filters = _filters()
    return Response(members_file(public_members(filters), kind, filters), mimetype=MIMETYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{FILENAME}.{kind}"'})


@bp.get("/members.csv")
def members_csv() -> Any:
    return _download("csv")


@bp.get("/members.xlsx")
def members_xlsx() -> Any:
    return _download("xlsx")


@bp.get("/members.json")
def members_json() -> Any:
    return _download("json")
