"""The audit log page: who did what and when, searchable by organisers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import joinedload

from app.core.audit import AuditEvent
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.inputs import db_int
from app.fairs.access import organiser_required
from app.people.models import Participant
from app.reports.views.blueprint import bp

PAGE = 100


@bp.get("/admin/audit")
@organiser_required
def audit(slug: str) -> Any:
    fair = current_user.fair
    q = request.args.get("q", "").strip()[:100]
    day = request.args.get("day", "")
    query = (select(AuditEvent).outerjoin(Participant, AuditEvent.actor_id == Participant.id)
             .options(joinedload(AuditEvent.actor)).where(AuditEvent.fair_id == fair.id))
    for term in q.split():
        like = f"%{term.replace('%', '').replace('_', '')}%"
        query = query.where(or_(AuditEvent.action.ilike(like), AuditEvent.target.ilike(like),
                                Participant.first_name.ilike(like), Participant.last_name.ilike(like),
                                cast(AuditEvent.details, String).ilike(like)))
    try:
        chosen = date.fromisoformat(day) if day else None
    except ValueError:
        chosen = None
    if chosen:
        start = datetime.combine(chosen, datetime.min.time(), LOCAL_ZONE)
        query = query.where(AuditEvent.at >= start, AuditEvent.at < start + timedelta(days=1))
    page = max(1, request.args.get("page", 1, type=db_int))
    events = list(db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                      .offset((page - 1) * PAGE).limit(PAGE + 1)))
    return render_template("reports/audit.html", fair=fair, events=events[:PAGE], more=len(events) > PAGE,
                           page=page, q=q, day=chosen.isoformat() if chosen else "")
