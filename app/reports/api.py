"""JSON API: health, fair statistics, and the OpenAPI document describing them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from app.agreements.value_api import SOCIAL_VALUE, SOCIAL_VALUE_PROPERTIES, SOCIAL_VALUE_SCHEMAS
from app.core.extensions import csrf, db
from app.fairs.fairs import get_fair
from app.reports.snapshots import shared_stats

bp = Blueprint("api", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:
        db.session.rollback()
        return jsonify({"status": "error", "database": "error", "detail": type(exc).__name__}), 503
    return jsonify({"status": "ok", "database": database, "backend": db.engine.dialect.name})


@bp.get("/api/fairs/<slug>/stats")
def stats(slug: str) -> Any:
    return jsonify(shared_stats(get_fair(slug)))


_SECTORS = {"type": "object", "additionalProperties": {"type": "integer"},
            "description": "Keyed by sector: ngo, public, business, social_cooperative, "
                           "informal_group, resident."}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Giełda API", "version": "1.0.0",
             "description": "Read-only JSON API of a Giełda Zasobów (resource exchange fair)."},
    "paths": {
        "/healthz": {"get": {
            "summary": "Health check (the database is queried).",
            "responses": {
                "200": {"description": "Healthy", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status", "database"],
                    "properties": {"status": {"const": "ok"}, "database": {"const": "ok"},
                                   "backend": {"type": "string"}}}}}},
                "503": {"description": "The database does not answer."}}}},
        "/api/fairs/{slug}/stats": {"get": {
            "summary": "Live counters of one fair.",
            "parameters": [{"name": "slug", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "Counters", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/FairStats"}}}},
                "404": {"description": "No such fair", "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
    },
    "components": {"schemas": {
        "FairStats": {"type": "object",
                      "required": ["participants", "organisations", "organisations_by_sector",
                                   "checked_in", "offers", "needs", "posts_by_category", "agreements_signed",
                                   "sector_matrix", "points_pledged", *SOCIAL_VALUE],
                      "properties": {
                          "fair": {"type": "string"}, "name": {"type": "string"},
                          "state": {"enum": ["draft", "open", "trading", "closed"]},
                          "participants": {"type": "integer"},
                          "participants_by_sector": _SECTORS,
                          "organisations": {"type": "integer"},
                          "organisations_by_sector": _SECTORS,
                          "checked_in": {"type": "integer"},
                          "offers": {"type": "integer", "description": "Live offers (not withdrawn, taken or hidden)."},
                          "needs": {"type": "integer", "description": "Live needs."},
                          "posts_by_category": {"type": "array", "items": {
                              "type": "object", "required": ["id", "name", "offers", "needs"],
                              "properties": {"id": {"type": "integer"}, "key": {"type": ["string", "null"]},
                                             "name": {"type": "string"}, "offers": {"type": "integer"},
                                             "needs": {"type": "integer"}}}},
                          "agreements_signed": {"type": "integer",
                                                "description": "Signed and fulfilled agreements."},
                          "sector_matrix": {"type": "object", "description":
                                            "matrix[a][b]: agreements between a party of sector a and one of "
                                            "sector b (symmetric; the diagonal: within one sector).",
                                            "additionalProperties": _SECTORS},
                          "points_pledged": {"type": "integer",
                                             "description": "Points of the obligations of signed agreements."},
                          **SOCIAL_VALUE_PROPERTIES,
                          "trading": {"type": "object", "properties": {
                              "state": {"enum": ["draft", "open", "trading", "closed"]},
                              "opened_at": {"type": ["string", "null"], "format": "date-time"},
                              "closes_at": {"type": ["string", "null"], "format": "date-time"},
                              "closed_at": {"type": ["string", "null"], "format": "date-time"}}},
                          "event_seq": {"type": "integer",
                                        "description": "Sequence number of the fair's newest event."}}},
        **SOCIAL_VALUE_SCHEMAS,
        "Problem": {"type": "object", "required": ["ok", "code", "message"],
                    "properties": {"ok": {"const": False}, "code": {"type": "string"},
                                   "message": {"type": "string"}}},
    }},
}


def add_paths(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Describe another area's API in this document: create_app hands its paths and schemas over
    (the directory, beside the reports, may not import this module, nor this module it)."""
    OPENAPI["paths"].update(paths)
    OPENAPI["components"]["schemas"].update(schemas)


@bp.get("/api/openapi.json")
def openapi() -> Any:
    return jsonify(OPENAPI)
