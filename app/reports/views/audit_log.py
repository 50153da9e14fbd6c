"""The audit log page: who did what and when, searchable by organisers."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template, request
from flask_login import current_user

from app.core.web.inputs import db_int
from app.fairs.access import organiser_required
from app.reports.queries import audit_events
from app.reports.views.blueprint import bp

PAGE = 100


@bp.get("/admin/audit")
@organiser_required
def audit(slug: str) -> Any:
    fair = current_user.fair
    q = request.args.get("q", "").strip()[:100]
    day = request.args.get("day", "")
    try:
        chosen = date.fromisoformat(day) if day else None
    except ValueError:
        chosen = None
    page = max(1, request.args.get("page", 1, type=db_int))
    events = audit_events(fair.id, q, chosen, offset=(page - 1) * PAGE, limit=PAGE + 1)
    return render_template("reports/audit.html", fair=fair, events=events[:PAGE], more=len(events) > PAGE,
                           page=page, q=q, day=chosen.isoformat() if chosen else "")
