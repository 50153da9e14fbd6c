"""The directory's JSON API: the public members (searched, filtered, paged), one member's public
profile, the network's member counts; and their OpenAPI description (OPENAPI_PATHS and
OPENAPI_SCHEMAS, merged into the app's document at /api/openapi.json by create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user

from app.agreements.value_api import (
    PLEDGED,
    REALISED,
    SOCIAL_VALUE,
    SOCIAL_VALUE_PROPERTIES,
    whole_zloty,
    whole_zloty_row,
)
from app.agreements.value_totals import ValueRow
from app.core.extensions import csrf
from app.core.web.inputs import db_int
from app.core.web.urls import public_page_url
from app.directory.exports import member_summary
from app.directory.queries import (
    NO_BRANCH,
    PAGE_SIZE,
    DirectoryFilters,
    LivePost,
    YearCounts,
    member_balance,
    member_profile,
    network_stats,
    search_members,
)
from app.network.sectors import Branch, Sector
from app.partnerships.counts import LARGE, SMALL, PartnershipCounts, counts_per_year, partnership_counts

bp = Blueprint("directory_api", __name__, url_prefix="/api")
csrf.exempt(bp)


def _filters() -> DirectoryFilters:
    return DirectoryFilters.parse(request.args.get("q", ""), request.args.get("sector", ""),
                                  request.args.get("branch", ""), request.args.get("place", ""))


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _post(item: LivePost) -> dict[str, Any]:
    post = item.post
    return {"id": post.id, "kind": post.kind.value, "title": post.title, "details": post.details,
            "category": item.category, "quantity": post.quantity, "unit": post.unit.value if post.unit else None,
            "fair": item.fair.slug, "created_at": _moment(post.created_at),
            "url": public_page_url("floor.post_detail", slug=item.fair.slug, post_id=post.id)}


def _is_own_member(member_id: int) -> bool:
    """Whether the caller is logged in as someone of this member (one of its fair's people)."""
    return bool(current_user.is_authenticated and current_user.organisation.member_id == member_id)


def _partnerships(counts: PartnershipCounts) -> dict[str, Any]:
    return {"total": counts.total, "by_size": dict(counts.by_size), "by_sectors_joined": dict(counts.by_sector_count),
            "combinations": dict(counts.combinations),
            "sector_pairs": [{"sectors": [a.value, b.value], "partnerships": n} for (a, b), n in counts.pairs.items()]}


def _year(counts: YearCounts, value: ValueRow | None = None) -> dict[str, Any]:
    return {"year": counts.year, "members": counts.total,
            "by_sector": {s.value: n for s, n in counts.by_sector.items()}, "by_branch": dict(counts.by_branch),
            **whole_zloty_row(value or ValueRow())}


@bp.get("/members")
def members() -> Any:
    found = search_members(_filters(), request.args.get("page", 1, type=db_int))
    return jsonify({"members": [member_summary(m) for m in found.members], "total": found.total,
                    "page": found.page, "pages": found.pages, "page_size": PAGE_SIZE})


@bp.get("/members/<int:member_id>")
def member(member_id: int) -> Any:
    profile = member_profile(member_id)
    m = profile.member
    body = {**member_summary(m), "email": m.email, "phone": m.phone, "nip": m.nip, "krs": m.krs,
            "regon": m.regon, "member_since": _moment(m.created_at),
            "fairs": [{"slug": f.slug, "name": f.name, "starts_at": _moment(f.starts_at),
                       "url": public_page_url("fairs.home", slug=f.slug)} for f in profile.fairs],
            "offers": [_post(p) for p in profile.offers], "needs": [_post(p) for p in profile.needs]}
    if _is_own_member(m.id):
        body["balance"] = member_balance(m.id)
    return jsonify(body)


@bp.get("/network/stats")
def stats() -> Any:
    found = network_stats()
    now = _year(found.now)
    return jsonify({"members": now["members"], "members_by_sector": now["by_sector"],
                    "members_by_branch": now["by_branch"],
                    "per_year": [_year(y, found.social_value_per_year.get(y.year)) for y in found.per_year],
                    "fairs": found.fairs, "members_at_two_fairs_or_more": found.returning_members,
                    **whole_zloty(found.social_value),
                    "partnerships": {**_partnerships(partnership_counts()),
                                     "per_year": [{"year": c.year, **_partnerships(c)}
                                                  for c in counts_per_year(found.now.year)]}})


# --- the OpenAPI description ------------------------------------------------------------------

_FILTERS = [
    {"name": "q", "in": "query", "schema": {"type": "string"},
     "description": "Words searched in the name, place and description (case and Polish diacritics "
                    "ignored: 'zolw' finds 'Żółw'); every word must be found."},
    {"name": "sector", "in": "query", "schema": {"$ref": "#/components/schemas/Sector"},
     "description": "Only this sector (an unknown value filters nothing)."},
    {"name": "branch", "in": "query", "schema": {"$ref": "#/components/schemas/Branch"},
     "description": "Only this branch (an unknown value filters nothing)."},
    {"name": "place", "in": "query", "schema": {"type": "string"},
     "description": "Only this place (town), case and Polish diacritics ignored."},
]
_BY_SECTOR = {"type": "object", "additionalProperties": {"type": "integer"},
              "description": "Keyed by sector: ngo, public, business, social_cooperative, informal_group, resident."}
_BY_BRANCH = {"type": "object", "additionalProperties": {"type": "integer"},
              "description": f"Keyed by branch, and '{NO_BRANCH}' for the members that named none."}
_PARTNERSHIPS: dict[str, Any] = {
    "type": "object", "required": ["total", "by_size", "by_sectors_joined", "combinations", "sector_pairs"],
    "properties": {
        "total": {"type": "integer"},
        "by_size": {"type": "object", "required": [SMALL, LARGE], "properties": {
            SMALL: {"type": "integer"}, LARGE: {"type": "integer"}},
            "description": f"'{SMALL}': partnerships of two or three members; '{LARGE}': of four or more."},
        "by_sectors_joined": {"type": "object", "required": ["1", "2", "3+"],
                              "additionalProperties": {"type": "integer"},
                              "description": "Partnerships whose members are of one sector, of two, of three or more."},
        "combinations": {"type": "object", "additionalProperties": {"type": "integer"},
                         "description": "Keyed by the sectors a partnership joins, '+'-separated in the order of "
                                        "Sector (e.g. 'ngo+public'): how many join exactly these."},
        "sector_pairs": {"type": "array", "description": "For each pair of sectors (the same one twice: two "
                                                         "members of it), the partnerships joining them.",
                         "items": {"type": "object", "required": ["sectors", "partnerships"], "properties": {
                             "sectors": {"type": "array", "items": {"$ref": "#/components/schemas/Sector"},
                                         "minItems": 2, "maxItems": 2},
                             "partnerships": {"type": "integer"}}}}}}
_NOT_FOUND = {"description": "No member in the public directory has this id (never listed, or merged "
                             "into another).",
              "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


OPENAPI_PATHS: dict[str, Any] = {
    "/api/members": {"get": {
        "summary": "The network's members with a public profile, by name, 50 a page.",
        "parameters": [*_FILTERS, {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1},
                                   "description": "Page number (from 1)."}],
        "responses": {"200": {"description": "One page of members", "content": _json("MembersPage")}}}},
    "/api/members/{member_id}": {"get": {
        "summary": "A public member's profile: its details, the fairs it attended, its live offers and needs.",
        "description": "`balance` (the member's points) is there only for a caller logged in as one of the "
                       "member's own people.",
        "parameters": [{"name": "member_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "The profile", "content": _json("MemberProfile")},
                      "404": _NOT_FOUND}}},
    "/api/network/stats": {"get": {
        "summary": "The network's figures: members by sector and branch, now and at the end of each year; "
                   "fairs; members that attended two fairs or more; partnerships by size and sectors joined; the "
                   "estimated social value pledged and realised at every fair and between fairs, and per year.",
        "responses": {"200": {"description": "The figures", "content": _json("NetworkStats")}}}},
}

_SUMMARY_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"}, "name": {"type": "string"},
    "sector": {"$ref": "#/components/schemas/Sector"},
    "branch": {"oneOf": [{"$ref": "#/components/schemas/Branch"}, {"type": "null"}]},
    "city": {"type": "string"}, "website": {"type": "string"}, "description": {"type": "string"},
    "url": {"type": "string", "format": "uri", "description": "The profile's page."}}
_POST = {"type": "object", "required": ["id", "kind", "title", "category", "fair", "url"], "properties": {
    "id": {"type": "integer"}, "kind": {"enum": ["offer", "need"]}, "title": {"type": "string"},
    "details": {"type": "string"}, "category": {"type": "string"},
    "quantity": {"type": ["integer", "null"]}, "unit": {"type": ["string", "null"]},
    "fair": {"type": "string", "description": "The slug of the fair it was posted at."},
    "created_at": {"type": "string", "format": "date-time"}, "url": {"type": "string", "format": "uri"}}}
_YEAR = {"type": "object", "required": ["year", "members", "by_sector", "by_branch", "social_value_pledged",
                                        "social_value_realised"], "properties": {
    "year": {"type": "integer"}, "members": {"type": "integer", "description": "Members at the end of the year."},
    "by_sector": _BY_SECTOR, "by_branch": _BY_BRANCH,
    "social_value_pledged": {**PLEDGED, "description": PLEDGED["description"] + " Of the agreements signed in "
                                                                                "the year (in Warsaw)."},
    "social_value_realised": {**REALISED, "description": REALISED["description"] + " Of the agreements signed "
                                                                                   "in the year (in Warsaw)."}}}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "Sector": {"enum": [s.value for s in Sector]},
    "Branch": {"enum": [b.value for b in Branch]},
    "MemberSummary": {"type": "object", "required": list(_SUMMARY_PROPERTIES), "properties": _SUMMARY_PROPERTIES},
    "MembersPage": {"type": "object", "required": ["members", "total", "page", "pages", "page_size"], "properties": {
        "members": {"type": "array", "items": {"$ref": "#/components/schemas/MemberSummary"}},
        "total": {"type": "integer", "description": "All the members that match."},
        "page": {"type": "integer"}, "pages": {"type": "integer"}, "page_size": {"type": "integer"}}},
    "MemberProfile": {"type": "object",
                      "required": [*_SUMMARY_PROPERTIES, "email", "phone", "member_since", "fairs", "offers", "needs"],
                      "properties": {
                          **_SUMMARY_PROPERTIES, "email": {"type": "string"}, "phone": {"type": "string"},
                          "nip": {"type": "string"}, "krs": {"type": "string"}, "regon": {"type": "string"},
                          "member_since": {"type": "string", "format": "date-time"},
                          "fairs": {"type": "array", "description": "The fairs it attended, the latest first.",
                                    "items": {"type": "object", "required": ["slug", "name"], "properties": {
                                        "slug": {"type": "string"}, "name": {"type": "string"},
                                        "starts_at": {"type": ["string", "null"], "format": "date-time"},
                                        "url": {"type": "string", "format": "uri"}}}},
                          "offers": {"type": "array", "items": _POST,
                                     "description": "Live offers (not taken, withdrawn or hidden), newest first."},
                          "needs": {"type": "array", "items": _POST, "description": "Live needs, newest first."},
                          "balance": {"type": "integer", "description": "The member's points: only for a caller "
                                                                        "logged in as one of its people."}}},
    "PartnershipCounts": _PARTNERSHIPS,
    "PartnershipYear": {"type": "object", "required": ["year", *_PARTNERSHIPS["required"]],
                        "properties": {"year": {"type": "integer"}, **_PARTNERSHIPS["properties"]}},
    "NetworkStats": {"type": "object", "required": ["members", "members_by_sector", "members_by_branch", "per_year",
                                                    "fairs", "members_at_two_fairs_or_more", "partnerships",
                                                    *SOCIAL_VALUE],
                     "properties": {
        **SOCIAL_VALUE_PROPERTIES,
        "members": {"type": "integer", "description": "Members now (merged records not counted)."},
        "members_by_sector": _BY_SECTOR, "members_by_branch": _BY_BRANCH,
        "per_year": {"type": "array", "items": _YEAR,
                     "description": "From the first member's year to this one (this year: so far)."},
        "fairs": {"type": "integer", "description": "Fairs set up in the network."},
        "members_at_two_fairs_or_more": {"type": "integer"},
        "partnerships": {
            "type": "object", "required": [*_PARTNERSHIPS["required"], "per_year"],
            "description": "Partnerships (standing agreements of two or more members) ever recorded, by size and "
                           "by the sectors they join; and per year.",
            "properties": {**_PARTNERSHIPS["properties"], "per_year": {
                "type": "array", "items": {"$ref": "#/components/schemas/PartnershipYear"},
                "description": "Each year from the first partnership's start to this one: the partnerships in "
                               "force during some of it."}}}}},
}
